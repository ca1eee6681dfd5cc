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

/** Runs `gantry ...args`; never throws on a non-zero exit (the tests check the codes). */
export async function gantry(args: string[], env: Record<string, string>, cwd = root): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(process.execPath, [binary, ...args], {
      cwd,
      // Only what a user's shell would have: no settings of the test process leak in.
      env: { PATH: process.env.PATH ?? "", ...env },
      timeout: 400_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof failed.code !== "number") throw error;
    return { code: failed.code, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}
