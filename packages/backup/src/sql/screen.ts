import { isUtf8 } from "node:buffer";
import type { Readable } from "node:stream";
import { BackupError } from "../errors";
import { isPreamble, judgeStatement } from "./allow";

/**
 * Screens a plain SQL dump before psql runs it, streaming line by line, against an
 * allow-list of what pg_dump writes (see allow.ts).
 *
 * The lexer follows psql's own rules closely enough to know, for every line, whether psql
 * would read it as SQL, as a meta-command or as COPY data: it tracks quotes ('…', E'…',
 * "…", $tag$…$tag$), comments (-- and nested block comments) and statement ends. A
 * backslash outside quotes is a psql meta-command wherever it stands; only pg_dump's
 * `\restrict KEY` / `\unrestrict KEY` lines are accepted (and left out: psql runs under a key
 * of Gantry's own). COPY data lines are skipped (they are table rows, not SQL) but only after
 * a complete `COPY … FROM stdin;` statement that ends its line, exactly when psql itself
 * switches to reading data. Restores run with ON_ERROR_STOP, so a COPY the server refuses
 * stops psql before its data could be read as SQL.
 *
 * psql and this lexer must split the text alike. Three things could make them differ, and
 * each is closed: bytes that are not UTF-8 (or a NUL, which ends a C string) outside COPY data
 * are refused; a second statement on the line where one ends is refused; and after every
 * statement and COPY block the restore pins `standard_conforming_strings` and
 * `client_encoding` again (a `reset` edit), since code the dump itself runs (a CHECK
 * during COPY, an index expression) could change them and with them psql's reading of the
 * next line.
 */
export interface ScreenResult {
  lines: number;
  statements: number;
  copyBlocks: number;
  /** Rows seen per `schema.table` in COPY blocks. */
  copyRows: Map<string, number>;
  /** The `-- Dumped by pg_dump version X` header, when present. */
  dumpedBy?: string;
}

/**
 * A change the gate makes to the bytes it hands to psql: input offsets [start, end) are
 * replaced by `insert` (an insertion when start === end). Edits come in increasing order.
 */
export interface Edit {
  start: number;
  end: number;
  insert: "" | "reset";
}

const MAX_STATEMENT = 64 * 1024 * 1024;
/** pg_dump's `-- Dumped by pg_dump version` header is looked for in this many first lines. */
export const HEADER_LINES = 40;
const restrictLine = /^\\(restrict|unrestrict) [A-Za-z0-9]+\s*$/;
const copyStart = /^COPY ([\w."]+) (\([^)]*\) )?FROM STDIN;$/;

/** `\\.` alone on a line (optionally before a CR) ends a COPY block's data. */
function isCopyEnd(buf: Buffer, start: number, end: number): boolean {
  const n = end - start;
  return (n === 2 || (n === 3 && buf[start + 2] === 13)) && buf[start] === 0x5c && buf[start + 1] === 0x2e;
}

type Quote = "none" | "single" | "escape" | "ident" | "dollar" | "block";

export class SqlScreener {
  private lineNo = 0;
  private quote: Quote = "none";
  private dollarTag = "";
  private depth = 0;
  private code = "";
  /** `code` holds something other than whitespace (checked incrementally, up to `blankUpTo`). */
  private codeNonBlank = false;
  private blankUpTo = 0;
  private raw = "";
  private copyTable: string | undefined;
  private copyCount = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private consumed = 0;
  /** Input offsets of the line being screened: its first byte, and just past its newline. */
  private lineStart = 0;
  private lineEnd = 0;
  /** Where the statement being read began: the start of the line it began on. */
  private statementStart = 0;
  /** Whether the dump created anything but schemas and extensions yet. */
  private objectsSeen = false;
  /**
   * Bytes of input, from the start, that end on a line where nothing is left half-said: no
   * statement begun and not ended, no open quote or comment. Executing exactly these bytes
   * runs only statements this screener has fully seen and accepted.
   */
  settledBytes = 0;
  /** Edits not yet taken by the gate, in input order (see Edit). */
  readonly edits: Edit[] = [];
  readonly result: ScreenResult = { lines: 0, statements: 0, copyBlocks: 0, copyRows: new Map() };

  /** Feeds a chunk of the dump; throws BackupError("SQL_FORBIDDEN") on the first bad line. */
  push(chunk: Buffer): void {
    const nul = chunk.indexOf(0);
    if (nul !== -1) {
      this.lineNo += countLines(chunk, 0, nul) + 1;
      this.refuse("a NUL byte");
    }
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      if (nl === -1) break;
      if (this.pending.length > 0) {
        this.pending.push(chunk.subarray(start, nl));
        const line = Buffer.concat(this.pending);
        this.pending = [];
        this.pendingBytes = 0;
        this.line(line, true);
      } else if (this.copyTable !== undefined && !isCopyEnd(chunk, start, nl)) {
        // COPY data, the bulk of a dump: only counted, without slicing the line out.
        this.lineNo++;
        this.copyCount++;
        this.lineStart += nl + 1 - start;
      } else {
        this.line(chunk.subarray(start, nl), true);
      }
      this.consumed += nl + 1 - start;
      if (this.copyTable !== undefined || (this.quote === "none" && this.codeIsBlank())) {
        this.settledBytes = this.consumed;
      }
      start = nl + 1;
    }
    if (start < chunk.length) {
      this.pending.push(chunk.subarray(start));
      this.pendingBytes += chunk.length - start;
      this.consumed += chunk.length - start;
      if (this.pendingBytes > MAX_STATEMENT) this.refuse("line too long");
    }
  }

  /** Ends the dump: an unterminated statement or quote is refused (psql would run it). */
  end(): ScreenResult {
    if (this.pending.length > 0) this.line(Buffer.concat(this.pending), false);
    this.pending = [];
    this.pendingBytes = 0;
    if (this.copyTable === undefined && (this.quote !== "none" || this.code.trim() !== "")) {
      this.refuse("unterminated statement at end of dump");
    }
    this.settledBytes = this.consumed;
    this.endCopy();
    this.result.lines = this.lineNo;
    return this.result;
  }

  /** Complete lines screened so far. */
  get linesRead(): number {
    return this.lineNo;
  }

  /** The dump ended inside a COPY block's data (only possible once end() accepted it). */
  get endedInCopy(): boolean {
    return this.copyTable !== undefined;
  }

  private endCopy(): void {
    if (this.copyTable === undefined) return;
    this.result.copyRows.set(
      this.copyTable,
      (this.result.copyRows.get(this.copyTable) ?? 0) + this.copyCount,
    );
    this.copyCount = 0;
  }

  private codeIsBlank(): boolean {
    if (this.codeNonBlank) return false;
    if (this.code.length > this.blankUpTo) {
      if (/\S/.test(this.code.slice(this.blankUpTo))) {
        this.codeNonBlank = true;
        return false;
      }
      this.blankUpTo = this.code.length;
    }
    return true;
  }

  private refuse(reason: string): never {
    throw new BackupError(
      "SQL_FORBIDDEN",
      `dump.sql line ${this.lineNo}: ${reason} is not allowed in a restore`,
      {
        line: this.lineNo,
        reason,
      },
    );
  }

  private line(bytes: Buffer, newline: boolean): void {
    this.lineNo++;
    this.lineEnd = this.lineStart + bytes.length + (newline ? 1 : 0);
    try {
      this.lineBody(bytes);
    } finally {
      this.lineStart = this.lineEnd;
    }
  }

  private lineBody(bytes: Buffer): void {
    if (this.copyTable !== undefined) {
      // COPY data: only the terminator matters; rows stay unparsed (and fast).
      if (isCopyEnd(bytes, 0, bytes.length)) {
        this.endCopy();
        this.copyTable = undefined;
        this.edits.push({ start: this.lineEnd, end: this.lineEnd, insert: "reset" });
        return;
      }
      this.copyCount++;
      return;
    }
    // psql reads SQL in the client encoding (pinned to UTF-8): other bytes could hide a quote.
    if (!isUtf8(bytes)) this.refuse("a line that is not UTF-8");
    const text = bytes.toString("utf8");
    if (this.lineNo <= HEADER_LINES && this.result.dumpedBy === undefined) {
      const header = /^-- Dumped by pg_dump version (\S+)/.exec(text);
      if (header) this.result.dumpedBy = header[1];
    }
    const between = this.quote === "none" && this.codeIsBlank();
    if (between) this.statementStart = this.lineStart;
    if (between && text.trimStart().startsWith("\\")) {
      if (!restrictLine.test(text.trim()))
        this.refuse(`psql meta-command ${JSON.stringify(text.trim().split(/\s/)[0])}`);
      this.edits.push({ start: this.lineStart, end: this.lineEnd, insert: "" });
      return;
    }
    this.scan(text);
  }

  private scan(text: string): void {
    let i = 0;
    const n = text.length;
    while (i < n) {
      const c = text[i]!;
      switch (this.quote) {
        case "single":
        case "escape": {
          if (c === "\\" && this.quote === "escape") {
            this.raw += text.slice(i, i + 2);
            i += 2;
            continue;
          }
          if (c === "'") {
            this.quote = "none";
            this.code += "'";
          }
          this.raw += c;
          i++;
          continue;
        }
        case "ident": {
          if (c === '"') this.quote = "none";
          this.code += c;
          this.raw += c;
          i++;
          continue;
        }
        case "dollar": {
          if (c === "$" && text.startsWith(this.dollarTag, i)) {
            this.quote = "none";
            this.code += "'";
            this.raw += this.dollarTag;
            i += this.dollarTag.length;
            continue;
          }
          this.raw += c;
          i++;
          continue;
        }
        case "block": {
          if (c === "/" && text[i + 1] === "*") {
            this.depth++;
            i += 2;
          } else if (c === "*" && text[i + 1] === "/") {
            this.depth--;
            i += 2;
            if (this.depth === 0) {
              this.quote = "none";
              this.code += " ";
              this.raw += " ";
            }
          } else i++;
          continue;
        }
        case "none":
          break;
      }
      if (c === "-" && text[i + 1] === "-") break;
      if (c === "/" && text[i + 1] === "*") {
        this.quote = "block";
        this.depth = 1;
        i += 2;
        continue;
      }
      if (c === "\\") this.refuse(`psql meta-command "${text.slice(i).split(/\s/)[0]}"`);
      const prev = i > 0 ? text[i - 1]! : " ";
      if (c === "'") {
        this.quote =
          (prev === "E" || prev === "e") && !/[\w$]/.test(i > 1 ? text[i - 2]! : " ") ? "escape" : "single";
        this.code += "'";
        this.raw += c;
        i++;
        continue;
      }
      if (c === '"') {
        this.quote = "ident";
        this.code += c;
        this.raw += c;
        i++;
        continue;
      }
      if (c === "$" && !/[\w$]/.test(prev)) {
        const tag = /^\$([A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*)?\$/.exec(text.slice(i, i + 256));
        if (tag) {
          this.quote = "dollar";
          this.dollarTag = tag[0];
          this.code += "'";
          this.raw += tag[0];
          i += tag[0].length;
          continue;
        }
      }
      if (c === ";") {
        this.statementEnd(text.slice(i + 1));
        i++;
        continue;
      }
      this.code += c;
      this.raw += c;
      i++;
    }
    // A literal's text stays out of `code`, its line breaks too: `code` shows it as ''.
    if (this.quote !== "single" && this.quote !== "escape" && this.quote !== "dollar") this.code += " ";
    this.raw += "\n";
    if (this.code.length > MAX_STATEMENT) this.refuse("statement too long");
  }

  private statementEnd(rest: string): void {
    const code = normalize(this.code);
    const raw = normalize(this.raw);
    this.code = "";
    this.codeNonBlank = false;
    this.blankUpTo = 0;
    this.raw = "";
    if (code === "") return;
    // A statement may run code that changes how psql reads what follows on its line.
    if (!/^\s*(--.*)?$/.test(rest)) this.refuse("a second statement on the line where one ends");
    this.result.statements++;
    if (/^COPY\b/.test(code) && /\bFROM STDIN\b/.test(code)) {
      const match = copyStart.exec(`${code};`);
      if (!match) this.refuse("a COPY … FROM stdin not in pg_dump's form");
      this.copyTable = match[1]!.replaceAll('"', "").toLowerCase();
      this.result.copyBlocks++;
      this.objectsSeen = true;
      return;
    }
    const verdict = judgeStatement(code, raw, this.objectsSeen);
    if ("refuse" in verdict) this.refuse(verdict.refuse);
    if ("skip" in verdict) {
      this.edits.push({ start: this.statementStart, end: this.lineEnd, insert: "" });
      return;
    }
    if (!isPreamble(code)) this.objectsSeen = true;
    this.edits.push({ start: this.lineEnd, end: this.lineEnd, insert: "reset" });
  }
}

function countLines(buf: Buffer, from: number, to: number): number {
  let n = 0;
  for (let i = buf.indexOf(10, from); i !== -1 && i < to; i = buf.indexOf(10, i + 1)) n++;
  return n;
}

function normalize(text: string): string {
  return text.replace(/\s+/g, " ").trim().toUpperCase();
}

/** Screens a whole dump stream; rejects with BackupError("SQL_FORBIDDEN"). */
export async function screenSqlStream(stream: Readable): Promise<ScreenResult> {
  const screener = new SqlScreener();
  for await (const chunk of stream) {
    screener.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  }
  return screener.end();
}

export function screenSqlText(text: string): ScreenResult {
  const screener = new SqlScreener();
  screener.push(Buffer.from(text));
  return screener.end();
}
