import type { Duplex } from "node:stream";
import type Docker from "dockerode";
import { DemuxLines, RawLines } from "./log-lines";
import type { ExecOptions, ExecResult, ExecSession, LogLine } from "./types";

function envList(env: Record<string, string> = {}): string[] {
  return Object.entries(env).map(([key, value]) => `${key}=${value}`);
}

/** The engine may report an exec as running for a moment after its stream has closed. */
async function exitCodeOf(exec: Docker.Exec, deadlineMs = 10_000): Promise<number> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const info = await exec.inspect();
    if (!info.Running && info.ExitCode !== null) return info.ExitCode;
    if (Date.now() > deadline) throw new Error("exec did not report an exit code in time");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function createExec(container: Docker.Container, cmd: string[], options: ExecOptions, stdin: boolean) {
  if (cmd.length === 0) throw new Error("exec needs a command");
  return container.exec({
    Cmd: cmd,
    AttachStdin: stdin,
    AttachStdout: true,
    AttachStderr: true,
    Tty: options.tty ?? false,
    Env: envList(options.env),
    User: options.user,
    WorkingDir: options.workdir,
  });
}

/** Runs a command to its end and returns its exit code and output (TTY output is all stdout). */
export async function execCollect(
  container: Docker.Container,
  cmd: string[],
  options: ExecOptions = {},
): Promise<ExecResult> {
  const hasStdin = options.stdin !== undefined;
  const exec = await createExec(container, cmd, options, hasStdin);
  const stream = (await exec.start({ hijack: true, stdin: hasStdin, Tty: options.tty ?? false })) as Duplex;
  const lines = stream.pipe(options.tty ? new RawLines() : new DemuxLines());
  if (hasStdin) {
    // Closing our half tells the command its input has ended; the engine keeps the other
    // half open for the output.
    stream.end(options.stdin);
  }
  const out: Record<LogLine["stream"], string[]> = { stdout: [], stderr: [] };
  for await (const line of lines as AsyncIterable<LogLine>) out[line.stream].push(line.line);
  return {
    exitCode: await exitCodeOf(exec),
    stdout: out.stdout.join("\n"),
    stderr: out.stderr.join("\n"),
  };
}

/** Starts a command with a TTY and hands back the raw duplex stream, for interactive shells. */
export async function execTty(
  container: Docker.Container,
  cmd: string[],
  options: Omit<ExecOptions, "tty" | "stdin"> = {},
): Promise<ExecSession> {
  const exec = await createExec(container, cmd, { ...options, tty: true }, true);
  const stream = (await exec.start({ hijack: true, stdin: true, Tty: true })) as Duplex;
  const ended = new Promise<void>((resolve) => {
    stream.once("end", resolve);
    stream.once("close", resolve);
  });
  return {
    stream,
    resize: async ({ cols, rows }) => {
      await exec.resize({ w: cols, h: rows });
    },
    exitCode: async () => {
      await ended;
      return exitCodeOf(exec);
    },
  };
}
