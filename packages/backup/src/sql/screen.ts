import type { Readable } from "node:stream";
import { BackupError } from "../errors";
import { forbiddenStatement } from "./rules";

/**
 * Screens a plain SQL dump before psql runs it, streaming line by line.
 *
 * The lexer follows psql's own rules closely enough to know, for every line, whether psql
 * would read it as SQL, as a meta-command or as COPY data: it tracks quotes ('…', E'…',
 * "…", $tag$…$tag$), comments (-- and nested block comments) and statement ends. A
 * backslash outside quotes is a psql meta-command wherever it stands; only pg_dump's
 * `\restrict KEY` / `\unrestrict KEY` lines are accepted. COPY data lines are skipped
 * (they are table rows, not SQL) but only after a complete `COPY … FROM stdin;` statement
 * that ends its line, exactly when psql itself switches to reading data. Restores run with
 * ON_ERROR_STOP, so a COPY the server refuses stops psql before its data could be read as SQL.
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

const MAX_STATEMENT = 64 * 1024 * 1024;
const restrictLine = /^\\(restrict|unrestrict) [A-Za-z0-9]+\s*$/;
const copyStart = /^COPY ([\w."]+) (\([^)]*\) )?FROM STDIN;$/;

type Quote = "none" | "single" | "escape" | "ident" | "dollar" | "block";

export class SqlScreener {
  private lineNo = 0;
  private quote: Quote = "none";
  private dollarTag = "";
  private depth = 0;
  private code = "";
  private raw = "";
  private copyTable: string | undefined;
  private pending: Buffer[] = [];
  readonly result: ScreenResult = { lines: 0, statements: 0, copyBlocks: 0, copyRows: new Map() };

  /** Feeds a chunk of the dump; throws BackupError("SQL_FORBIDDEN") on the first bad line. */
  push(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      if (nl === -1) break;
      if (this.pending.length > 0) {
        this.pending.push(chunk.subarray(start, nl));
        this.line(Buffer.concat(this.pending));
        this.pending = [];
      } else {
        this.line(chunk.subarray(start, nl));
      }
      start = nl + 1;
    }
    if (start < chunk.length) {
      this.pending.push(chunk.subarray(start));
      if (this.pending.reduce((n, b) => n + b.length, 0) > MAX_STATEMENT) this.refuse("line too long");
    }
  }

  /** Ends the dump: an unterminated statement or quote is refused (psql would run it). */
  end(): ScreenResult {
    if (this.pending.length > 0) this.line(Buffer.concat(this.pending));
    this.pending = [];
    if (this.copyTable === undefined && (this.quote !== "none" || this.code.trim() !== "")) {
      this.refuse("unterminated statement at end of dump");
    }
    this.result.lines = this.lineNo;
    return this.result;
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

  private line(bytes: Buffer): void {
    this.lineNo++;
    if (this.copyTable !== undefined) {
      // COPY data: only the terminator matters; rows stay unparsed (and fast).
      if (
        bytes.length <= 3 &&
        bytes[0] === 0x5c &&
        bytes[1] === 0x2e &&
        (bytes.length === 2 || bytes[2] === 13)
      ) {
        this.copyTable = undefined;
        return;
      }
      this.result.copyRows.set(this.copyTable, (this.result.copyRows.get(this.copyTable) ?? 0) + 1);
      return;
    }
    const text = bytes.toString("utf8");
    if (this.lineNo <= 40 && this.result.dumpedBy === undefined) {
      const header = /^-- Dumped by pg_dump version (\S+)/.exec(text);
      if (header) this.result.dumpedBy = header[1];
    }
    if (this.quote === "none" && this.code.trim() === "" && text.trimStart().startsWith("\\")) {
      if (restrictLine.test(text.trim())) return;
      this.refuse(`psql meta-command ${JSON.stringify(text.trim().split(/\s/)[0])}`);
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
            this.code += "''";
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
    this.code += " ";
    this.raw += "\n";
    if (this.code.length > MAX_STATEMENT) this.refuse("statement too long");
  }

  private statementEnd(rest: string): void {
    const code = normalize(this.code);
    const raw = normalize(this.raw);
    this.code = "";
    this.raw = "";
    if (code === "") return;
    this.result.statements++;
    const rule = forbiddenStatement(code, raw);
    if (rule) this.refuse(rule.toUpperCase());
    if (/^COPY\b/.test(code) && /\bFROM\s+STDIN\b/.test(code)) {
      const match = copyStart.exec(`${code};`);
      if (!match || rest.trim() !== "") this.refuse("a COPY … FROM stdin not in pg_dump's form");
      this.copyTable = match[1]!.replaceAll('"', "").toLowerCase();
      this.result.copyBlocks++;
    }
  }
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
