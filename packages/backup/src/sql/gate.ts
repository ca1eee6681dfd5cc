import { BackupError } from "../errors";
import { type ScreenResult, SqlScreener } from "./screen";

/** More than this held back (one statement not yet ended) is refused rather than buffered. */
const MAX_HELD = 64 * 1024 * 1024;

/**
 * Screens a dump on its way to psql and lets through only what may run: everything up to
 * the end of the last line on which the screener stands between statements (or inside COPY
 * data). A statement is therefore handed on only once its end was seen and accepted; the
 * refused statement, and any statement after it, never reaches psql.
 */
export class SqlGate {
  readonly screener = new SqlScreener();
  private held: Buffer[] = [];
  private heldBytes = 0;
  private released = 0;

  /** Screens `chunk`; returns the bytes that may now be executed (possibly none). */
  push(chunk: Buffer): Buffer[] {
    this.screener.push(chunk);
    this.held.push(chunk);
    this.heldBytes += chunk.length;
    const out = this.take(this.screener.settledBytes - this.released);
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
    return { result, rest: this.take(this.screener.settledBytes - this.released) };
  }

  private take(bytes: number): Buffer[] {
    const out: Buffer[] = [];
    let wanted = bytes;
    while (wanted > 0) {
      const first = this.held[0]!;
      if (first.length <= wanted) {
        out.push(first);
        this.held.shift();
        wanted -= first.length;
      } else {
        out.push(first.subarray(0, wanted));
        this.held[0] = first.subarray(wanted);
        wanted = 0;
      }
    }
    this.released += bytes;
    this.heldBytes -= bytes;
    return out;
  }
}
