// The PostgreSQL client programs of a copy, run and piped into each other by the kernel, their
// errors collected from stderr.
import { spawn } from "node:child_process";

interface Finished {
  code: number | null;
  stderr: string;
}

function started(
  program: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  stdio: ["ignore" | "pipe" | NodeJS.ReadableStream, "pipe" | "ignore", "pipe"],
  signal?: AbortSignal,
) {
  const child = spawn(program, args, { env, stdio: stdio as never, signal });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    if (stderr.length < 16_384) stderr += chunk.toString();
  });
  const done = new Promise<Finished>((resolve) => {
    child.on("error", (error) => resolve({ code: -1, stderr: `${stderr}${error.message}` }));
    child.on("close", (code) => resolve({ code, stderr }));
  });
  return { child, done };
}

export async function runTool(
  program: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  what: string,
  signal?: AbortSignal,
): Promise<void> {
  const { done } = started(program, args, env, ["ignore", "ignore", "pipe"], signal);
  const result = await done;
  if (result.code !== 0) throw new Error(`${what} failed (exit ${result.code}): ${result.stderr.trim()}`);
}

/** Runs a program for its output (`pg_restore --list`). */
export async function toolOutput(
  program: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  what: string,
  signal?: AbortSignal,
): Promise<string> {
  const { child, done } = started(program, args, env, ["ignore", "pipe", "pipe"], signal);
  const chunks: Buffer[] = [];
  child.stdout?.on("data", (chunk: Buffer) => chunks.push(chunk));
  const result = await done;
  if (result.code !== 0) throw new Error(`${what} failed (exit ${result.code}): ${result.stderr.trim()}`);
  return Buffer.concat(chunks).toString();
}

/** `reader | writer` (pg_dump | pg_restore, psql | psql), the pipe handled by the kernel. */
export async function pipeTools(
  dump: { program: string; args: string[]; env: NodeJS.ProcessEnv },
  restore: { program: string; args: string[]; env: NodeJS.ProcessEnv },
  what: string,
  signal?: AbortSignal,
): Promise<void> {
  const producer = started(dump.program, dump.args, dump.env, ["ignore", "pipe", "pipe"], signal);
  const stdout = producer.child.stdout;
  if (!stdout) throw new Error(`${what}: no output stream`);
  const consumer = started(restore.program, restore.args, restore.env, [stdout, "ignore", "pipe"], signal);
  // The consumer holds its own copy of the pipe; ours would keep the producer from closing.
  stdout.destroy();
  const [out, into] = await Promise.all([producer.done, consumer.done]);
  if (out.code !== 0) throw new Error(`${what}: reading failed (exit ${out.code}): ${out.stderr.trim()}`);
  if (into.code !== 0) throw new Error(`${what}: writing failed (exit ${into.code}): ${into.stderr.trim()}`);
}
