// Changes made in a checkout's work tree (the dashboard's editor): what differs from a commit,
// a commit of everything with a person's identity, and its push to a branch. The checkout holds
// a tenant's files, so no configuration beyond the repository's own (.git/config, written by
// Gantry's clone) is read: a host's global filters or hooks never run on it.
import { assertNotOption, type RunGitOptions, runGit } from "./run";

const ISOLATED = { GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null" };

function git(dir: string, args: string[], options: RunGitOptions = {}) {
  return runGit(args, {
    ...options,
    cwd: dir,
    env: { ...ISOLATED, ...options.env },
    // Hooks would run the repository's code on the host; none exist in a Gantry clone, none run.
    config: { "core.hooksPath": "/dev/null", ...options.config },
  });
}

export type ChangeKind = "added" | "modified" | "deleted";
export interface WorktreeChange {
  path: string;
  kind: ChangeKind;
}

const kinds: Record<string, ChangeKind> = { A: "added", M: "modified", D: "deleted", T: "modified" };

/**
 * Files of the work tree (new ones included, ignored ones not) that differ from `sha`. The
 * index is brought in line with the work tree on the way: in a Gantry checkout it is nobody
 * else's.
 */
export async function worktreeChanges(dir: string, sha: string): Promise<WorktreeChange[]> {
  assertNotOption(sha, "commit");
  await git(dir, ["add", "--all", "--", "."]);
  const { stdout } = await git(dir, ["diff", "--cached", "--name-status", "--no-renames", "-z", sha, "--"]);
  const fields = stdout.split("\0").filter(Boolean);
  const changes: WorktreeChange[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const kind = kinds[(fields[i] as string).charAt(0)];
    if (kind) changes.push({ path: fields[i + 1] as string, kind });
  }
  return changes;
}

export interface GitIdentity {
  name: string;
  email: string;
}

/** Commits every change of the work tree on top of HEAD; null when there is nothing to commit. */
export async function commitAll(
  dir: string,
  message: string,
  author: GitIdentity,
): Promise<{ sha: string } | null> {
  const head = (await git(dir, ["rev-parse", "HEAD"])).stdout.trim();
  const changes = await worktreeChanges(dir, head);
  if (changes.length === 0) return null;
  const env = {
    GIT_AUTHOR_NAME: author.name,
    GIT_AUTHOR_EMAIL: author.email,
    GIT_COMMITTER_NAME: author.name,
    GIT_COMMITTER_EMAIL: author.email,
  };
  await git(dir, ["commit", "--quiet", "--no-verify", "--cleanup=strip", `--message=${message}`], { env });
  return { sha: (await git(dir, ["rev-parse", "HEAD"])).stdout.trim() };
}

export interface PushOptions {
  url: string;
  branch: string;
  /** Extra environment (credentials by GIT_CONFIG_* variables, never in the URL or arguments). */
  env?: Record<string, string>;
  /** Allows file:// and plain paths (repositories an administrator configured). */
  allowFileProtocol?: boolean;
  secrets?: string[];
  timeoutMs?: number;
}

/** Pushes HEAD to the branch, fast-forward only: a branch that moved on refuses it. */
export async function pushHead(dir: string, options: PushOptions): Promise<void> {
  assertNotOption(options.url, "url");
  assertNotOption(options.branch, "branch");
  await git(dir, ["push", "--quiet", "--no-verify", options.url, `HEAD:refs/heads/${options.branch}`], {
    env: options.env ?? {},
    secrets: options.secrets,
    timeoutMs: options.timeoutMs ?? 120_000,
    config: options.allowFileProtocol ? { "protocol.file.allow": "always" } : {},
  });
}
