// The errors of a log: every ERROR or CRITICAL record and every record carrying a traceback
// (the lines after a record until the next one) becomes an occurrence, fingerprinted so that
// the same fault on other builds groups with it. Log text is the tenant's: everything kept is
// capped, and it is only ever shown as text.
import { errorFingerprint, type NormalizeContext } from "./error-fingerprint";
import type { LogEntry } from "./logs";

const TRACEBACK = "Traceback (most recent call last):";

/** Longest message kept (the record's first line). */
export const MAX_MESSAGE_CHARS = 2_000;
/** Longest text kept (the record with its traceback). */
export const MAX_TEXT_CHARS = 8_000;

export interface ErrorOccurrenceFound {
  /** 1-based line of the record in its log file. */
  line: number;
  /** When the record was written (Odoo's log time, UTC in Gantry's containers), if it says. */
  at: Date | null;
  level: string | null;
  logger: string | null;
  message: string;
  text: string;
  fingerprint: string;
}

function cap(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}… (truncated)` : text;
}

/** `YYYY-MM-DD HH:MM:SS,mmm` as UTC; null when it is no real time. */
export function logTime(timestamp: string | undefined): Date | null {
  if (!timestamp) return null;
  const at = new Date(`${timestamp.replace(" ", "T").replace(",", ".")}Z`);
  return Number.isNaN(at.getTime()) ? null : at;
}

/** Whether the record is an error: ERROR, CRITICAL, or a traceback anywhere in it. */
export function isErrorEntry(entry: LogEntry): boolean {
  if (entry.levelName === "ERROR" || entry.levelName === "CRITICAL") return true;
  return entry.message.includes(TRACEBACK) || entry.continuation.some((line) => line.includes(TRACEBACK));
}

/** The occurrence of one record, or null when the record is no error. */
export function errorOccurrenceOf(
  entry: LogEntry,
  context: NormalizeContext = {},
): ErrorOccurrenceFound | null {
  if (!isErrorEntry(entry)) return null;
  const continuation = [...entry.continuation];
  while (continuation.length > 0 && (continuation[continuation.length - 1] as string).trim() === "")
    continuation.pop();
  const message = cap(entry.message, MAX_MESSAGE_CHARS);
  return {
    line: entry.line,
    at: logTime(entry.timestamp),
    level: entry.levelName ?? null,
    logger: entry.logger ?? null,
    message,
    text: cap([entry.message, ...continuation].join("\n"), MAX_TEXT_CHARS),
    fingerprint: errorFingerprint({ logger: entry.logger, message: entry.message, continuation }, context),
  };
}

/** The occurrences of a run of records. */
export function errorOccurrences(
  entries: readonly LogEntry[],
  context: NormalizeContext = {},
): ErrorOccurrenceFound[] {
  const out: ErrorOccurrenceFound[] = [];
  for (const entry of entries) {
    const found = errorOccurrenceOf(entry, context);
    if (found) out.push(found);
  }
  return out;
}
