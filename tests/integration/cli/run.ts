// Builds the gantry CLI to JavaScript and runs the built binary as a user would: a separate
// node process, its own HOME, settings from its login or the environment.
import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const root = resolve(import.meta.dirname, "../../..");
export const binary = resolve(root, "packages/cli/dist/main.js");

export async function buildCli(): Promise<void> {
  await run(resolve(root, "node_modules/.bin/tsc"), ["-p", "packages/cli/tsconfig.build.json"], {
    cwd: root,
  });
}

export interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `gantry ...args` with `input` on its standard input (then closed); never throws on a
 * non-zero exit (the tests check the codes).
 */
export function gantry(
  args: string[],
  env: Record<string, string>,
  cwd = root,
  input = "",
): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [binary, ...args],
      {
        cwd,
        // Only what a user's shell would have: no settings of the test process leak in.
        env: { PATH: process.env.PATH ?? "", ...env },
        timeout: 400_000,
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (!error) return resolve({ code: 0, stdout, stderr });
        if (typeof error.code !== "number") return reject(error);
        resolve({ code: error.code, stdout, stderr });
      },
    );
    child.stdin?.end(input);
  });
}
