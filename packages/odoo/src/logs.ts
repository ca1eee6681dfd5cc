// Odoo log lines: `YYYY-MM-DD HH:MM:SS,mmm PID LEVEL DBNAME LOGGER: message`. Lines that
// do not start that way (tracebacks, multi-line messages) belong to the entry before them.
// A streaming parser: feed it chunks as they come; an entry is complete when the next one starts.

export const LOG_LEVELS = ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LogEntry {
  /** 1-based number of the entry's first line in the stream. */
  line: number;
  /** `YYYY-MM-DD HH:MM:SS,mmm` as written (server local time). Absent for lines before any entry. */
  timestamp?: string;
  pid?: number;
  /** Known levels; other names (e.g. custom) are kept in `levelName`. */
  level?: LogLevel;
  levelName?: string;
  /** `?` when no database. */
  db?: string;
  logger?: string;
  message: string;
  /** The lines after the first (tracebacks), capped. */
  continuation: string[];
  /** Continuation lines dropped by the cap. */
  droppedLines: number;
}

export interface LogParserOptions {
  /** Continuation lines kept per entry. */
  maxContinuationLines?: number;
  /** Longest line kept (longer ones are cut): bounds memory on a runaway line. */
  maxLineLength?: number;
}

const HEADER = /^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3}) (\d+) ([A-Z_?]+) (\S+) ([^\s:]+): ?(.*)$/;
// Odoo colours the level when writing to a terminal.
// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes are control characters.
const ANSI = /\x1b\[[0-9;]*m/g;

export function parseLogLine(text: string, line = 1): LogEntry | undefined {
  const match = HEADER.exec(text.replace(ANSI, ""));
  if (!match) return undefined;
  const [, timestamp, pid, levelName, db, logger, message] = match as unknown as string[];
  const level = (LOG_LEVELS as readonly string[]).includes(levelName as string)
    ? (levelName as LogLevel)
    : undefined;
  return {
    line,
    timestamp,
    pid: Number(pid),
    ...(level ? { level } : {}),
    levelName,
    db,
    logger,
    message: (message as string).replace(/\s+$/, ""),
    continuation: [],
    droppedLines: 0,
  };
}

export class OdooLogParser {
  private buffer = "";
  private current: LogEntry | undefined;
  private lineNumber = 0;
  private readonly decoder = new TextDecoder("utf-8");
  private readonly maxContinuation: number;
  private readonly maxLineLength: number;

  constructor(options: LogParserOptions = {}) {
    this.maxContinuation = options.maxContinuationLines ?? 500;
    this.maxLineLength = options.maxLineLength ?? 16_384;
  }

  /** Feeds a chunk (text, or bytes split anywhere, even inside a UTF-8 character); returns the entries completed by it. */
  feed(chunk: string | Uint8Array): LogEntry[] {
    this.buffer += typeof chunk === "string" ? chunk : this.decoder.decode(chunk, { stream: true });
    const out: LogEntry[] = [];
    let start = 0;
    for (;;) {
      const newline = this.buffer.indexOf("\n", start);
      if (newline < 0) break;
      this.line(this.buffer.slice(start, newline), out);
      start = newline + 1;
    }
    this.buffer = this.buffer.slice(start);
    // A line without an end yet: keep only its bounded head.
    if (this.buffer.length > this.maxLineLength * 2)
      this.buffer = `${this.buffer.slice(0, this.maxLineLength)}…`;
    return out;
  }

  /** Ends the stream: the last partial line and the pending entry. */
  end(): LogEntry[] {
    const out: LogEntry[] = [];
    this.buffer += this.decoder.decode();
    if (this.buffer !== "") this.line(this.buffer, out);
    this.buffer = "";
    if (this.current) out.push(this.current);
    this.current = undefined;
    return out;
  }

  private line(raw: string, out: LogEntry[]): void {
    this.lineNumber += 1;
    let text = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (text.length > this.maxLineLength) text = `${text.slice(0, this.maxLineLength)}…`;
    const entry = parseLogLine(text, this.lineNumber);
    if (entry) {
      if (this.current) out.push(this.current);
      this.current = entry;
      return;
    }
    if (!this.current) {
      // Output before the first log line (entrypoint, pip): an entry of its own, without header.
      if (text.trim() === "") return;
      out.push({ line: this.lineNumber, message: text.replace(ANSI, ""), continuation: [], droppedLines: 0 });
      return;
    }
    if (this.current.continuation.length < this.maxContinuation) this.current.continuation.push(text);
    else this.current.droppedLines += 1;
  }
}

/** Parses a whole log at once. */
export function parseLog(text: string, options: LogParserOptions = {}): LogEntry[] {
  const parser = new OdooLogParser(options);
  return [...parser.feed(text), ...parser.end()];
}

/** The entry as text: its line and its continuation, trailing blank lines dropped. */
export function entryText(entry: LogEntry): string {
  const head = entry.timestamp
    ? `${entry.timestamp} ${entry.pid} ${entry.levelName} ${entry.db} ${entry.logger}: ${entry.message}`
    : entry.message;
  const lines = [head, ...entry.continuation];
  while (lines.length > 1 && (lines[lines.length - 1] as string).trim() === "") lines.pop();
  return lines.join("\n");
}
