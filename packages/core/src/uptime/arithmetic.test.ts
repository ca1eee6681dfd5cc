import { describe, expect, it } from "vitest";
import {
  barsOf,
  downAlertDue,
  incidentDurationMs,
  incidentStep,
  type ProbeCounts,
  uptimePercent,
} from "./arithmetic";

const minute = 60_000;
const at = (minutes: number) => new Date(Date.UTC(2026, 11, 1, 12, 0) + minutes * minute);

describe("uptime percent", () => {
  it("counts answered probes against answered and failed ones", () => {
    // A day of minutes with 3 failures: 1437 / 1440.
    expect(uptimePercent({ up: 1437, down: 3, maintenance: 0 })).toBe(99.792);
    expect(uptimePercent({ up: 10, down: 0, maintenance: 0 })).toBe(100);
    expect(uptimePercent({ up: 0, down: 4, maintenance: 0 })).toBe(0);
  });

  it("leaves maintenance out: a deploy window is neither up nor down", () => {
    expect(uptimePercent({ up: 90, down: 10, maintenance: 500 })).toBe(90);
  });

  it("is unknown, not 100 %, when nothing was counted", () => {
    expect(uptimePercent({ up: 0, down: 0, maintenance: 0 })).toBeNull();
    expect(uptimePercent({ up: 0, down: 0, maintenance: 7 })).toBeNull();
  });
});

describe("bars", () => {
  it("lays out count bars ending with the one holding now, empty where nothing was probed", () => {
    const hour = 60 * minute;
    const now = new Date(Date.UTC(2026, 11, 1, 12, 34));
    const thisHour = Date.UTC(2026, 11, 1, 12);
    const counts = new Map<number, ProbeCounts>([
      [thisHour, { up: 30, down: 4, maintenance: 0 }],
      [thisHour - 2 * hour, { up: 60, down: 0, maintenance: 0 }],
      // Older than the strip: left out.
      [thisHour - 30 * hour, { up: 1, down: 1, maintenance: 0 }],
    ]);
    const bars = barsOf(counts, now, hour, 24);
    expect(bars).toHaveLength(24);
    expect(bars[23]).toMatchObject({ from: "2026-12-01T12:00:00.000Z", up: 30, down: 4, percent: 88.235 });
    expect(bars[22]).toMatchObject({ from: "2026-12-01T11:00:00.000Z", up: 0, down: 0, percent: null });
    expect(bars[21]?.percent).toBe(100);
    expect(bars[0]?.from).toBe("2026-11-30T13:00:00.000Z");
    expect(bars.reduce((sum, b) => sum + b.up + b.down, 0)).toBe(94);
  });
});

describe("incidents", () => {
  const gap = 3 * minute;

  it("opens on the second failure in a row, starting at the first", () => {
    expect(incidentStep(null, { outcome: "UP", at: at(0) }, { outcome: "DOWN", at: at(1) }, gap)).toEqual({
      kind: "none",
    });
    expect(incidentStep(null, { outcome: "DOWN", at: at(1) }, { outcome: "DOWN", at: at(2) }, gap)).toEqual({
      kind: "open",
      startedAt: at(1),
    });
  });

  it("does not join two failures far apart (nobody probed in between)", () => {
    expect(incidentStep(null, { outcome: "DOWN", at: at(0) }, { outcome: "DOWN", at: at(60) }, gap)).toEqual({
      kind: "none",
    });
  });

  it("extends while it fails, closes on the first success, ignores maintenance", () => {
    const open = { startedAt: at(1), downNotifiedAt: null };
    const previous = { outcome: "DOWN" as const, at: at(2) };
    expect(incidentStep(open, previous, { outcome: "DOWN", at: at(3) }, gap)).toEqual({ kind: "extend" });
    expect(incidentStep(open, previous, { outcome: "MAINTENANCE", at: at(3) }, gap)).toEqual({
      kind: "none",
    });
    expect(incidentStep(open, previous, { outcome: "UP", at: at(4) }, gap)).toEqual({
      kind: "close",
      endedAt: at(4),
    });
    expect(incidentStep(null, null, { outcome: "UP", at: at(4) }, gap)).toEqual({ kind: "none" });
  });

  it("is production down once it has lasted the project's minutes, announced once", () => {
    const open = { startedAt: at(0), downNotifiedAt: null };
    expect(downAlertDue(open, at(2), 3)).toBe(false);
    expect(downAlertDue(open, at(3), 3)).toBe(true);
    expect(downAlertDue({ ...open, downNotifiedAt: at(3) }, at(10), 3)).toBe(false);
  });

  it("lasts until its end, or until now while open", () => {
    expect(incidentDurationMs({ startedAt: at(0), endedAt: at(7) }, at(100))).toBe(7 * minute);
    expect(incidentDurationMs({ startedAt: at(0), endedAt: null }, at(12))).toBe(12 * minute);
  });
});
