import { describe, expect, it } from "vitest";
import { liveWorkers } from "./workers";

describe("liveWorkers", () => {
  const now = Date.parse("2026-01-01T12:00:00Z");

  it("keeps heartbeats younger than the TTL, newest first, whatever the time type", () => {
    const beats = [
      { workerId: "old", lastSeen: now - 20_000 },
      { workerId: "date", lastSeen: new Date(now - 2_000), host: "h1" },
      { workerId: "iso", lastSeen: new Date(now - 1_000).toISOString() },
      { workerId: "garbage", lastSeen: "not a date" },
    ];
    const live = liveWorkers(beats, 15_000, now);
    expect(live.map((w) => w.workerId)).toEqual(["iso", "date"]);
    expect(live[1]).toMatchObject({ host: "h1", lastSeen: "2026-01-01T11:59:58.000Z" });
  });

  it("returns nothing when no worker beat recently", () => {
    expect(liveWorkers([{ workerId: "w", lastSeen: now - 60_000 }], 15_000, now)).toEqual([]);
  });
});
