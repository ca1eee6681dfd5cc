import { BackupError } from "../errors";
import { type ScreenResult, SqlScreener } from "./screen";

/** More than this held back (one statement not yet ended) is refused rather than buffered. */
const MAX_HELD = 64 * 1024 * 1024;

/**
 * Sent after every statement and COPY block: pins the two settings psql's lexer depends on,
 * whatever code the dump ran meanwhile (see SqlScreener). Plain ASCII without backslashes, so
 * it reads the same under any setting it repairs; one round trip.
 */
export const RESET_LINE = Buffer.from(
  "SELECT pg_catalog.set_config('standard_conforming_strings', 'on', false), pg_catalog.set_config('client_encoding', 'UTF8', false);\n",
);

/**
 * Screens a dump on its way to psql and lets through only what may run: everything up to
 * the end of the last line on which the screener stands between statements (or inside COPY
 * data). A statement is therefore handed on only once its end was seen and accepted; the
 * refused statement, and any statement after it, never reaches psql. The screener's edits
 * are applied on the way: skipped statements left out, the settings pinned again after
 * every statement.
 */
export class SqlGate {
  readonly screener = new SqlScreener();
  private held: Buffer[] = [];
  private heldBytes = 0;
  /** Input offset up to which bytes were handed on or dropped. */
  private released = 0;

  /** Screens `chunk`; returns the bytes that may now be executed (possibly none). */
  push(chunk: Buffer): Buffer[] {
    this.screener.push(chunk);
    this.held.push(chunk);
    this.heldBytes += chunk.length;
    const out = this.take(this.screener.settledBytes);
    if (this.heldBytes > MAX_HELD) {
      throw new BackupError(
        "SQL_FORBIDDEN",
        "dump.sql: a statement longer than 64 MB is not allowed in a restore",
      );
    }
    return out;
  }

  /** Ends the dump (refusing an unterminated statement) and returns what is left to execute. */
  end(): { result: ScreenResult; rest: Buffer[] } {
    const result = this.screener.end();
    return { result, rest: this.take(this.screener.settledBytes) };
  }

  /** Hands on input up to offset `upto`, with the edits that end there or before applied. */
  private take(upto: number): Buffer[] {
    const out: Buffer[] = [];
    const edits = this.screener.edits;
    let applied = 0;
    for (; applied < edits.length && edits[applied]!.end <= upto; applied++) {
      const edit = edits[applied]!;
      this.move(edit.start, out);
      this.move(edit.end, undefined);
      if (edit.insert === "reset") out.push(RESET_LINE);
    }
    if (applied > 0) edits.splice(0, applied);
    this.move(upto, out);
    return out;
  }

  /** Moves `released` to `to`, the bytes passed over going to `out` (or dropped). */
  private move(to: number, out: Buffer[] | undefined): void {
    let wanted = to - this.released;
    while (wanted > 0) {
      const first = this.held[0]!;
      if (first.length <= wanted) {
        out?.push(first);
        this.held.shift();
        wanted -= first.length;
        this.heldBytes -= first.length;
        this.released += first.length;
      } else {
        out?.push(first.subarray(0, wanted));
        this.held[0] = first.subarray(wanted);
        this.heldBytes -= wanted;
        this.released += wanted;
        wanted = 0;
      }
    }
  }
}
