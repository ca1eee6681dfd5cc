// The docker CLI against the machine's engine or a node's, for the Swarm test cluster: the
// harness forms and tears down the cluster the way an operator would.
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Runs `docker ARGS` (against `host` when given) and returns its trimmed standard output. */
export async function docker(args: string[], host?: string): Promise<string> {
  const prefix = host ? ["--host", host] : [];
  const { stdout } = await run("docker", [...prefix, ...args], { maxBuffer: 16 * 1024 * 1024 });
  return stdout.trim();
}

/** Like `docker`, but a failure is returned as null (cleanup of what may already be gone). */
export async function dockerQuiet(args: string[], host?: string): Promise<string | null> {
  try {
    return await docker(args, host);
  } catch {
    return null;
  }
}
