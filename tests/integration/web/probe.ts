import { execFile } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { SystemHealth } from "@gantry/core";

const here = dirname(fileURLToPath(import.meta.url));
const run = promisify(execFile);

/** The health report as a fresh process sees it with `env` laid over the current environment. */
export async function probeHealth(env: Record<string, string> = {}): Promise<SystemHealth> {
  const { stdout } = await run(process.execPath, ["--import", "tsx", join(here, "health-probe.ts")], {
    cwd: join(here, "../../.."),
    env: { ...process.env, ...env },
    // A deadline for the whole probe: a hang fails the test instead of stalling the suite.
    timeout: 60_000,
  });
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as SystemHealth;
}
