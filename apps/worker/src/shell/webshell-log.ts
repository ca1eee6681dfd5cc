// A build's webshell.log: every shell session's input and output, beside the build's other logs.
// One line per record, `<time> <session> in|out|start|end <JSON string>`, so that bytes of any
// kind (escape sequences, partial UTF-8) never garble the file and each session can be followed.
// Chunks in the same direction are gathered for a moment before a line is written.
import { appendFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { bestEffort } from "@gantry/config";
import { workspaceOf } from "../shared/workspace";

const FLUSH_MS = 250;
const FLUSH_BYTES = 16 * 1024;

export class WebshellLog {
  private pending: { kind: "in" | "out"; chunks: Buffer[]; bytes: number } | null = null;
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  readonly file: string;

  constructor(
    buildId: string,
    private readonly sessionId: string,
  ) {
    this.file = join(workspaceOf(buildId).logs, "webshell.log");
  }

  /** A line about the session itself (who opened it, how it ended). */
  event(kind: "start" | "end" | "note", text: string): void {
    this.flush();
    this.write(kind, text);
  }

  record(kind: "in" | "out", data: Buffer): void {
    if (this.pending && this.pending.kind !== kind) this.flush();
    this.pending ??= { kind, chunks: [], bytes: 0 };
    this.pending.chunks.push(data);
    this.pending.bytes += data.length;
    if (this.pending.bytes >= FLUSH_BYTES) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  /** Writes what is pending and waits for every write so far. */
  async close(): Promise<void> {
    this.flush();
    await this.writing;
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const pending = this.pending;
    this.pending = null;
    if (pending) this.write(pending.kind, Buffer.concat(pending.chunks).toString("utf8"));
  }

  private write(kind: string, text: string): void {
    const line = `${new Date().toISOString()} ${this.sessionId} ${kind} ${JSON.stringify(text)}\n`;
    // In order, one after the other; the file is only the owner's to read (the build's own
    // processes see the logs folder too, and what people typed is not theirs to read).
    this.writing = this.writing.then(async () => {
      await bestEffort(`writing ${this.file}`, async () => {
        await mkdir(join(this.file, ".."), { recursive: true });
        await appendFile(this.file, line, { mode: 0o600 });
      });
    });
  }
}
