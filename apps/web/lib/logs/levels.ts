/**
 * Odoo's log line format: `2024-05-01 12:00:00,123 4242 INFO dbname odoo.modules: message`.
 * Lines without that head (tracebacks, pip output) belong to the line above them, so they take
 * its level when the viewer filters.
 */
export const logLevels = ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] as const;
export type LogLevel = (typeof logLevels)[number];

const head = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:,\d+)? \d+ (DEBUG|INFO|WARNING|ERROR|CRITICAL) /;

/** The level a line states itself, or null for a continuation line. */
export function levelOf(line: string): LogLevel | null {
  const match = head.exec(line);
  return match ? (match[1] as LogLevel) : null;
}

export interface LogLine {
  text: string;
  level: LogLevel | null;
}

/**
 * Gives each line its level, a continuation line its predecessor's. `previous` is the level the
 * last line of the previous chunk ended with, so a stream can be classified chunk by chunk.
 */
export function classify(lines: readonly string[], previous: LogLevel | null = null): LogLine[] {
  let current = previous;
  return lines.map((text) => {
    current = levelOf(text) ?? current;
    return { text, level: current };
  });
}

/** Lines at `minimum` or above; lines with no level at all (before any Odoo line) are kept. */
export function atLeast<L extends LogLine>(lines: readonly L[], minimum: LogLevel): L[] {
  const floor = logLevels.indexOf(minimum);
  return lines.filter((line) => line.level === null || logLevels.indexOf(line.level) >= floor);
}

/** Case-insensitive substring search; an empty query keeps everything. */
export function matching<L extends LogLine>(lines: readonly L[], query: string): L[] {
  const needle = query.trim().toLowerCase();
  if (needle === "") return [...lines];
  return lines.filter((line) => line.text.toLowerCase().includes(needle));
}
