// Deploy windows: ISO weekdays (1 = Monday … 7 = Sunday) and whole hours [start, end) on the
// project's wall clock. An end at or before the start runs past midnight: "Friday 22 to 6"
// is Friday 22:00 to Saturday 06:00. Everything is read through Intl in the project's IANA
// time zone, so summer time moves the window with the clock, as people expect of "after 22h".

export interface DeployWindow {
  days: number[];
  startHour: number;
  endHour: number;
}

/** No days chosen: the branch has no window (deploys at any time). */
export function windowOf(branch: {
  deployWindowDays: number[];
  deployWindowStart: number;
  deployWindowEnd: number;
}): DeployWindow | null {
  if (branch.deployWindowDays.length === 0) return null;
  return {
    days: branch.deployWindowDays,
    startHour: branch.deployWindowStart,
    endHour: branch.deployWindowEnd,
  };
}

export function isTimeZone(name: string): boolean {
  if (!name || name.length > 64) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** The weekday (1-7) and hour (0-23) the project's clock shows at `at`. */
export function wallClock(at: Date, timeZone: string): { weekday: number; hour: number } {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      weekday: "short",
      hour: "numeric",
      hourCycle: "h23",
    });
    formatters.set(timeZone, format);
  }
  const parts = format.formatToParts(at);
  const weekday = WEEKDAYS[parts.find((p) => p.type === "weekday")?.value ?? ""];
  const hour = Number(parts.find((p) => p.type === "hour")?.value);
  if (!weekday || !Number.isInteger(hour)) throw new Error(`cannot read the time in ${timeZone}`);
  return { weekday, hour: hour % 24 };
}

function previousDay(weekday: number): number {
  return weekday === 1 ? 7 : weekday - 1;
}

export function isWindowOpen(window: DeployWindow, at: Date, timeZone: string): boolean {
  const { weekday, hour } = wallClock(at, timeZone);
  const { days, startHour, endHour } = window;
  if (startHour < endHour) return days.includes(weekday) && hour >= startHour && hour < endHour;
  // Past midnight: the evening of a chosen day, or the early hours after one.
  return (
    (days.includes(weekday) && hour >= startHour) || (days.includes(previousDay(weekday)) && hour < endHour)
  );
}

// Every time zone's offset is a multiple of 15 minutes, so each wall-clock hour starts on a
// UTC quarter hour: stepping by quarter hours finds the first instant of the next open hour.
const QUARTER_MS = 15 * 60 * 1000;
const EIGHT_DAYS_MS = 8 * 24 * 60 * 60 * 1000;

/** The first instant at or after `from` when the window is open; null if it never opens. */
export function nextOpening(window: DeployWindow, from: Date, timeZone: string): Date | null {
  if (isWindowOpen(window, from, timeZone)) return from;
  let at = Math.ceil(from.getTime() / QUARTER_MS) * QUARTER_MS;
  const end = from.getTime() + EIGHT_DAYS_MS;
  for (; at <= end; at += QUARTER_MS) {
    const candidate = new Date(at);
    if (isWindowOpen(window, candidate, timeZone)) return candidate;
  }
  return null;
}

const DAY_NAMES = ["", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/** "Mon, Tue 22:00-06:00 (Europe/Brussels)": how the window reads on pages and in messages. */
export function describeWindow(window: DeployWindow, timeZone: string): string {
  const days = [...window.days].sort((a, b) => a - b).map((d) => DAY_NAMES[d]);
  const hh = (h: number) => `${String(h).padStart(2, "0")}:00`;
  return `${days.join(", ")} ${hh(window.startHour)}-${hh(window.endHour)} (${timeZone})`;
}
