// Fetching code for a build: one commit, shallow where the server allows it, then submodules.
import { mkdir } from "node:fs/promises";
import { assertNotOption, GitError, runGit } from "./run";
import { type SshOptions, withSshEnv } from "./ssh";

export interface FetchOptions extends SshOptions {
  /** Branch name, full ref or commit sha. */
  ref: string;
  /** History depth; 0 or undefined for 1, null for the whole history. */
  depth?: number | null;
  timeoutMs?: number;
  /** Allows file:// submodules (tests with local repositories); off in production. */
  allowFileProtocol?: boolean;
  /** Extra values to scrub from error messages (e.g. a token inside the URL). */
  secrets?: string[];
}

export interface CloneOptions extends FetchOptions {
  url: string;
  dir: string;
  /** Check out submodules recursively (default true). */
  submodules?: boolean;
}

function gitConfig(options: FetchOptions): Record<string, string> {
  return options.allowFileProtocol ? { "protocol.file.allow": "always" } : {};
}

function secretsOf(options: FetchOptions): string[] {
  return [...(options.secrets ?? []), ...(options.sshKey ? [options.sshKey] : [])];
}

/** Fetches `ref` from origin into `dir` (not checked out); returns the fetched commit sha. */
export async function fetch(dir: string, options: FetchOptions): Promise<{ sha: string }> {
  assertNotOption(options.ref, "ref");
  const depth = options.depth === undefined || options.depth === 0 ? 1 : options.depth;
  const depthArgs = depth === null ? [] : ["--depth", String(depth)];
  const common = {
    cwd: dir,
    timeoutMs: options.timeoutMs,
    secrets: secretsOf(options),
    config: gitConfig(options),
  };
  return withSshEnv(options, async (env) => {
    try {
      await runGit(["fetch", "--no-tags", ...depthArgs, "origin", options.ref], { ...common, env });
    } catch (error) {
      // Servers that refuse an unadvertised sha in a shallow fetch get a full fetch instead.
      if (!(error instanceof GitError) || error.code !== "failed" || !/^[0-9a-f]{7,64}$/.test(options.ref)) {
        throw error;
      }
      await runGit(["fetch", "--no-tags", "origin"], { ...common, env });
      const { stdout } = await runGit(
        ["rev-parse", "--verify", "--end-of-options", `${options.ref}^{commit}`],
        common,
      );
      return { sha: stdout.trim() };
    }
    const { stdout } = await runGit(["rev-parse", "--verify", "FETCH_HEAD^{commit}"], common);
    return { sha: stdout.trim() };
  });
}

export async function checkout(
  dir: string,
  sha: string,
  options: { timeoutMs?: number } = {},
): Promise<void> {
  assertNotOption(sha, "commit");
  await runGit(["checkout", "--quiet", "--force", "--detach", sha], {
    cwd: dir,
    timeoutMs: options.timeoutMs,
  });
}

/** Clones one commit of `url` into `dir` (created if missing) with its submodules. */
export async function clone(options: CloneOptions): Promise<{ sha: string }> {
  assertNotOption(options.url, "url");
  await mkdir(options.dir, { recursive: true });
  const secrets = secretsOf(options);
  await runGit(["init", "--quiet", options.dir], { timeoutMs: options.timeoutMs, secrets });
  await runGit(["remote", "add", "origin", options.url], { cwd: options.dir, secrets });
  const { sha } = await fetch(options.dir, options);
  await checkout(options.dir, sha, options);
  if (options.submodules !== false) await updateSubmodules(options.dir, options);
  return { sha };
}

export interface SubmoduleOptions extends Omit<FetchOptions, "ref"> {
  /** Extra environment (HTTPS credentials by GIT_CONFIG_* variables, never in URLs or arguments). */
  env?: Record<string, string>;
}

/** Initializes and checks out submodules recursively, over SSH with the same key if given. */
export async function updateSubmodules(dir: string, options: SubmoduleOptions): Promise<void> {
  const common = { cwd: dir, timeoutMs: options.timeoutMs, secrets: secretsOf({ ...options, ref: "" }) };
  const config = gitConfig({ ...options, ref: "" });
  await withSshEnv(options, async (sshEnv) => {
    const env = { ...options.env, ...sshEnv };
    const base = ["submodule", "update", "--init", "--recursive", "--force"];
    try {
      await runGit([...base, "--depth", "1"], { ...common, env, config });
    } catch (error) {
      // A pinned submodule commit that is not a branch tip cannot always be fetched shallow.
      if (!(error instanceof GitError) || error.code !== "failed") throw error;
      await runGit(base, { ...common, env, config });
    }
  });
}
