import { execFile } from "node:child_process";

/** pg_dump's stdout buffer when run through stdbuf: 4 MB instead of stdio's 4-8 KB. */
const OUTPUT_BUFFER = "4M";

let stdbuf: Promise<boolean> | undefined;

function hasStdbuf(): Promise<boolean> {
  stdbuf ??= new Promise((resolve) =>
    execFile("stdbuf", ["--version"], { timeout: 10_000 }, (error) => resolve(!error)),
  );
  return stdbuf;
}

/**
 * The command line that runs `command` with a large stdout buffer (coreutils' stdbuf), or
 * `command` itself where stdbuf is missing. pg_dump writes through stdio in pieces of a few
 * KB; into a pipe, every piece wakes the reader. With 4 MB buffered, the pipe is written
 * full each time: a fraction of the wake-ups, about half the reader's CPU, and pg_dump
 * waits less on a reader that is busy.
 */
export async function withLargeOutputBuffer(command: string, args: string[]): Promise<[string, string[]]> {
  return (await hasStdbuf()) ? ["stdbuf", [`-o${OUTPUT_BUFFER}`, command, ...args]] : [command, args];
}
