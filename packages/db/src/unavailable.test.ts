import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "./unavailable";

describe("isDatabaseUnavailable", () => {
  it("knows the shapes a stopped or restarting PostgreSQL takes through Prisma and pg", () => {
    // A raw query through the pg adapter with the server down (seen in the fault suite).
    const raw = Object.assign(new Error("Raw query failed"), {
      code: "P2010",
      meta: {
        driverAdapterError: Object.assign(new Error("DatabaseNotReachable"), {
          cause: { kind: "DatabaseNotReachable" },
        }),
      },
    });
    expect(isDatabaseUnavailable(raw)).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error("x"), { code: "P1001" }))).toBe(true);
    expect(isDatabaseUnavailable({ cause: { kind: "postgres", originalCode: "57P01" } })).toBe(true);
    expect(
      isDatabaseUnavailable(
        new Error("x", { cause: Object.assign(new Error("y"), { code: "ECONNREFUSED" }) }),
      ),
    ).toBe(true);
    expect(isDatabaseUnavailable(new Error("Connection terminated unexpectedly"))).toBe(true);
  });

  it("leaves real errors alone: constraint violations, bugs, non-errors", () => {
    expect(
      isDatabaseUnavailable(Object.assign(new Error("Unique constraint failed"), { code: "P2002" })),
    ).toBe(false);
    expect(isDatabaseUnavailable({ cause: { kind: "postgres", originalCode: "23505" } })).toBe(false);
    expect(isDatabaseUnavailable(new TypeError("x is undefined"))).toBe(false);
    expect(isDatabaseUnavailable("P1001")).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
  });
});
