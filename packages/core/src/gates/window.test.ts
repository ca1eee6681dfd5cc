import { describe, expect, it } from "vitest";
import { describeWindow, isTimeZone, isWindowOpen, nextOpening, wallClock } from "./window";

const at = (iso: string) => new Date(iso);

describe("deploy window arithmetic", () => {
  it("reads the wall clock of the project's time zone", () => {
    // 2026-01-05 is a Monday.
    expect(wallClock(at("2026-01-05T23:30:00Z"), "UTC")).toEqual({ weekday: 1, hour: 23 });
    expect(wallClock(at("2026-01-05T23:30:00Z"), "Europe/Brussels")).toEqual({ weekday: 2, hour: 0 });
    expect(wallClock(at("2026-01-05T02:00:00Z"), "America/New_York")).toEqual({ weekday: 7, hour: 21 });
    expect(wallClock(at("2026-01-05T20:00:00Z"), "Asia/Kolkata")).toEqual({ weekday: 2, hour: 1 });
  });

  it("opens on the chosen days and hours, end excluded", () => {
    const weekdays = { days: [1, 2, 3, 4, 5], startHour: 9, endHour: 17 };
    expect(isWindowOpen(weekdays, at("2026-01-05T09:00:00Z"), "UTC")).toBe(true);
    expect(isWindowOpen(weekdays, at("2026-01-05T16:59:59Z"), "UTC")).toBe(true);
    expect(isWindowOpen(weekdays, at("2026-01-05T17:00:00Z"), "UTC")).toBe(false);
    expect(isWindowOpen(weekdays, at("2026-01-05T08:59:59Z"), "UTC")).toBe(false);
    // Saturday 2026-01-10.
    expect(isWindowOpen(weekdays, at("2026-01-10T12:00:00Z"), "UTC")).toBe(false);
  });

  it("runs past midnight when the end is at or before the start", () => {
    // Friday 22:00 to Saturday 06:00 (2026-01-09 is a Friday).
    const night = { days: [5], startHour: 22, endHour: 6 };
    expect(isWindowOpen(night, at("2026-01-09T21:59:00Z"), "UTC")).toBe(false);
    expect(isWindowOpen(night, at("2026-01-09T22:00:00Z"), "UTC")).toBe(true);
    expect(isWindowOpen(night, at("2026-01-10T05:59:00Z"), "UTC")).toBe(true);
    expect(isWindowOpen(night, at("2026-01-10T06:00:00Z"), "UTC")).toBe(false);
    // Thursday night is not Friday night.
    expect(isWindowOpen(night, at("2026-01-09T03:00:00Z"), "UTC")).toBe(false);
  });

  it("is read in the project's time zone, not UTC", () => {
    const mornings = { days: [1], startHour: 9, endHour: 10 };
    // Monday 09:00 in Brussels (winter, UTC+1) is 08:00 UTC.
    expect(isWindowOpen(mornings, at("2026-01-05T08:00:00Z"), "Europe/Brussels")).toBe(true);
    expect(isWindowOpen(mornings, at("2026-01-05T09:00:00Z"), "Europe/Brussels")).toBe(false);
    // Half-hour offsets: 09:00 in Kolkata (UTC+5:30) is 03:30 UTC.
    expect(nextOpening(mornings, at("2026-01-04T12:00:00Z"), "Asia/Kolkata")).toEqual(
      at("2026-01-05T03:30:00Z"),
    );
  });

  it("finds the next opening, and the present when already open", () => {
    const weekdays = { days: [1, 2, 3, 4, 5], startHour: 9, endHour: 17 };
    const friday = at("2026-01-09T18:10:00Z");
    expect(nextOpening(weekdays, friday, "UTC")).toEqual(at("2026-01-12T09:00:00Z"));
    const open = at("2026-01-12T10:07:00Z");
    expect(nextOpening(weekdays, open, "UTC")).toEqual(open);
  });

  it("follows summer time: the same wall-clock hour is another UTC hour after the change", () => {
    // Europe/Brussels moves to UTC+2 on Sunday 2026-03-29 at 02:00.
    const sundays = { days: [7], startHour: 9, endHour: 12 };
    expect(nextOpening(sundays, at("2026-03-23T00:00:00Z"), "Europe/Brussels")).toEqual(
      at("2026-03-29T07:00:00Z"),
    );
    expect(nextOpening(sundays, at("2026-03-16T00:00:00Z"), "Europe/Brussels")).toEqual(
      at("2026-03-22T08:00:00Z"),
    );
    // New York moves back to UTC-5 on Sunday 2026-11-01.
    expect(nextOpening(sundays, at("2026-10-26T00:00:00Z"), "America/New_York")).toEqual(
      at("2026-11-01T14:00:00Z"),
    );
  });

  it("opens at the first hour that exists when the start hour is skipped by summer time", () => {
    // 02:00 does not exist in Brussels on 2026-03-29: the clock jumps from 02:00 to 03:00 (01:00 UTC).
    const early = { days: [7], startHour: 2, endHour: 4 };
    expect(nextOpening(early, at("2026-03-28T12:00:00Z"), "Europe/Brussels")).toEqual(
      at("2026-03-29T01:00:00Z"),
    );
    expect(wallClock(at("2026-03-29T01:00:00Z"), "Europe/Brussels")).toEqual({ weekday: 7, hour: 3 });
  });

  it("a night window crossing the change of summer time ends at the wall-clock hour", () => {
    // Saturday 22:00 (21:00 UTC, winter) to Sunday 06:00 (04:00 UTC, summer) in Brussels.
    const night = { days: [6], startHour: 22, endHour: 6 };
    expect(nextOpening(night, at("2026-03-25T12:00:00Z"), "Europe/Brussels")).toEqual(
      at("2026-03-28T21:00:00Z"),
    );
    expect(isWindowOpen(night, at("2026-03-29T03:59:00Z"), "Europe/Brussels")).toBe(true);
    expect(isWindowOpen(night, at("2026-03-29T04:00:00Z"), "Europe/Brussels")).toBe(false);
  });

  it("validates IANA names and describes the window", () => {
    expect(isTimeZone("Europe/Brussels")).toBe(true);
    expect(isTimeZone("UTC")).toBe(true);
    expect(isTimeZone("Mars/Olympus_Mons")).toBe(false);
    expect(isTimeZone("")).toBe(false);
    expect(describeWindow({ days: [5, 1], startHour: 22, endHour: 6 }, "UTC")).toBe(
      "Mon, Fri 22:00-06:00 (UTC)",
    );
  });
});
