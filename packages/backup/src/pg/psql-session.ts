import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { connectionArgs, connectionEnv, findPgTool } from "@gantry/postgres";
import { BatchedWriter } from "../batched-writer";
import { BackupError } from "../errors";
import type { PgConnection } from "./connection";

const BATCH_BYTES = 256 * 1024;

/** psql releases with `\restrict` (13.22, 14.19, 15.14, 16.10, 17.6 and every later one). */
export function hasRestrict(version: number[]): boolean {
  const [major = 0, minor = 0] = version;
  const since: Record<number, number> = { 13: 22, 14: 19, 15: 14, 16: 10, 17: 6 };
  return major >= 18 || (since[major] !== undefined && minor >= since[major]!);
}

/**
 * psql reading a dump from its stdin inside one transaction that only we can commit.
 *
 * The transaction is opened with an explicit BEGIN rather than --single-transaction: with
 * that flag psql commits when its input ends, so a writer that died halfway would commit a
 * half-restored database. Here COMMIT is sent only by commit(), after the whole input was
 * checked; input that ends any other way leaves the transaction to be rolled back.
 * abort() kills psql before closing its input, because psql, at the end of its input,
 * sends whatever incomplete statement it still holds.
 */
export class PsqlSession {
  private stderr = "";
  private readonly input: BatchedWriter;
  private readonly exited: Promise<number | null>;

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    child.stderr.on("data", (d: Buffer) => {
      if (this.stderr.length < 8192) this.stderr += d.toString();
    });
    // Writes after psql stopped fail with EPIPE; the exit code and stderr explain why.
    child.stdin.on("error", () => {});
    this.input = new BatchedWriter(child.stdin, BATCH_BYTES);
    this.exited = new Promise((resolve, reject) => {
      child.on("error", reject);
      child.on("close", (code) => resolve(code));
    });
    // Awaited later (finish, abort), where its error is reported; handled here so that it is
    // not an unhandled rejection meanwhile.
    this.exited.catch(() => {});
  }

  static async start(conn: PgConnection): Promise<PsqlSession> {
    const psql = await findPgTool("psql");
    const args = [
      "-X",
      "-q",
      "-v",
      "ON_ERROR_STOP=1",
      ...connectionArgs(conn),
      "--dbname",
      conn.database,
      "--file",
      "-",
    ];
    const child = spawn(psql.path, args, { env: connectionEnv(conn), stdio: ["pipe", "ignore", "pipe"] });
    const session = new PsqlSession(child as unknown as ChildProcessWithoutNullStreams);
    // Restricted mode: psql itself then refuses every meta-command (\! \copy \o \connect …)
    // but \unrestrict with this key, which the dump cannot know. Defence in depth behind the
    // screen, on every psql that has it.
    if (hasRestrict(psql.version)) await session.write(`\\restrict ${randomBytes(24).toString("hex")}\n`);
    await session.write("BEGIN;\n");
    return session;
  }

  private failure(code: number | null): BackupError {
    return new BackupError("COMMAND_FAILED", `psql exited with ${code}: ${this.stderr.trim()}`);
  }

  /** Queues input for psql; it is sent in batches of BATCH_BYTES (fewer, larger pipe writes). */
  async write(chunk: Buffer | string): Promise<void> {
    await this.sent(this.input.write(typeof chunk === "string" ? Buffer.from(chunk) : chunk));
  }

  /** psql stopped (ON_ERROR_STOP) when a write fails: its own error says more than a broken pipe. */
  private async sent(writing: Promise<void>): Promise<void> {
    try {
      await writing;
    } catch (error) {
      const code = await this.exited;
      throw code === 0 ? error : this.failure(code);
    }
  }

  /** Commits and waits for psql to finish; `inCopy` ends an unterminated COPY's data first. */
  async commit(inCopy = false): Promise<void> {
    await this.write(inCopy ? "\\.\nCOMMIT;\n" : "COMMIT;\n");
    await this.sent(this.input.flush());
    this.child.stdin.end();
    const code = await this.exited;
    if (code !== 0) throw this.failure(code);
  }

  /** Kills psql (nothing it held is sent) and waits until it is gone; the server rolls back. */
  async abort(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGKILL");
    // Killed on purpose: how it ended is not news.
    await this.exited.catch(() => {});
    this.child.stdin.destroy();
  }
}
