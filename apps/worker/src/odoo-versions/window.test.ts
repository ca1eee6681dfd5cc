import { describe, expect, it } from "vitest";
import { nextUpdateWindow } from "./window";

describe("nextUpdateWindow", () => {
  it("is later the same day before the hour", () => {
    expect(nextUpdateWindow(4, new Date("2026-12-01T01:30:00Z")).toISOString()).toBe(
      "2026-12-01T04:00:00.000Z",
    );
  });
  it("is the next day at or after the hour, across a month's end", () => {
    expect(nextUpdateWindow(4, new Date("2026-12-01T04:00:00Z")).toISOString()).toBe(
      "2026-12-02T04:00:00.000Z",
    );
    expect(nextUpdateWindow(0, new Date("2026-12-31T23:59:59Z")).toISOString()).toBe(
      "2027-01-01T00:00:00.000Z",
    );
  });
});
