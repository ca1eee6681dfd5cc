import { type Duplex, PassThrough, type Readable } from "node:stream";
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

/**
 * Starts a command attached both ways: with a TTY (default) the raw duplex stream is its input
 * and output, for interactive shells; without one, its output is split into stdout and stderr
 * (the engine multiplexes them) and its input can be ended, for a command fed by a pipe.
 */
export async function execAttached(
  docker: Docker,
  container: Docker.Container,
  cmd: string[],
  options: Omit<ExecOptions, "stdin"> = {},
): Promise<ExecSession> {
  const tty = options.tty ?? true;
  const exec = await createExec(container, cmd, { ...options, tty }, true);
  const stream = (await exec.start({ hijack: true, stdin: true, Tty: tty })) as Duplex;
  const ended = new Promise<void>((resolve) => {
    stream.once("end", resolve);
    stream.once("close", resolve);
  });
  let output: Readable = stream;
  let errors: Readable | null = null;
  if (!tty) {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    docker.modem.demuxStream(stream, stdout, stderr);
    stream.once("close", () => {
      stdout.end();
      stderr.end();
    });
    output = stdout;
    errors = stderr;
  }
  return {
    stream,
    output,
    errors,
    endInput: () => {
      // Closing our half tells the command its input has ended; the output keeps coming.
      if (!tty) stream.end();
    },
    resize: async ({ cols, rows }) => {
      if (tty) await exec.resize({ w: cols, h: rows });
    },
    exitCode: async () => {
      await ended;
      return exitCodeOf(exec);
    },
  };
}
