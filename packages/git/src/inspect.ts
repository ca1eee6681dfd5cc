// Reading a checkout: head commit, changes between commits, files at a commit, submodules.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { assertNotOption, GitError, runGit, runGitRaw } from "./run";
import { type SshOptions, withSshEnv } from "./ssh";

export const commitInfoSchema = z.object({
  sha: z.string().regex(/^[0-9a-f]{40,64}$/),
  message: z.string(),
  author: z.object({ name: z.string(), email: z.string(), date: z.string() }),
});
export type CommitInfo = z.infer<typeof commitInfoSchema>;

export async function headCommit(dir: string, rev = "HEAD"): Promise<CommitInfo> {
  assertNotOption(rev, "revision");
  // NUL-separated fields: messages and names may contain anything but NUL.
  const { stdout } = await runGit(["log", "-1", "--format=%H%x00%an%x00%ae%x00%aI%x00%B", rev, "--"], {
    cwd: dir,
  });
  const [sha, name, email, date, ...rest] = stdout.split("\0");
  return commitInfoSchema.parse({
    sha,
    message: rest.join("\0").replace(/\n+$/, ""),
    author: { name, email, date },
  });
}

/** Paths changed between two commits (added, modified, deleted, renamed both sides). */
export async function changedFiles(dir: string, fromSha: string, toSha: string): Promise<string[]> {
  assertNotOption(fromSha, "commit");
  assertNotOption(toSha, "commit");
  const { stdout } = await runGit(["diff", "--name-only", "--no-renames", "-z", fromSha, toSha, "--"], {
    cwd: dir,
  });
  return stdout.split("\0").filter(Boolean);
}

/** A file's content at a commit, or null when the path does not exist there. */
export async function readFileAt(dir: string, sha: string, path: string): Promise<string | null> {
  assertNotOption(sha, "commit");
  const spec = `${sha}:${path.replace(/^\.?\//, "")}`;
  try {
    await runGit(["cat-file", "-e", spec], { cwd: dir });
  } catch (error) {
    if (error instanceof GitError && error.code === "failed") return null;
    throw error;
  }
  const { stdout } = await runGitRaw(["cat-file", "blob", spec], { cwd: dir });
  return stdout.toString("utf8");
}

/** Submodule paths recorded in the checkout, nested ones included (relative to `dir`). */
export async function listSubmodules(dir: string): Promise<string[]> {
  const { stdout } = await runGit(["ls-files", "--stage", "-z"], { cwd: dir });
  const paths: string[] = [];
  for (const entry of stdout.split("\0")) {
    // "<mode> <sha> <stage>\t<path>"; mode 160000 marks a gitlink (submodule).
    const tab = entry.indexOf("\t");
    if (tab < 0 || !entry.startsWith("160000 ")) continue;
    const path = entry.slice(tab + 1);
    paths.push(path);
    if (existsSync(join(dir, path, ".git"))) {
      for (const nested of await listSubmodules(join(dir, path))) paths.push(`${path}/${nested}`);
    }
  }
  return paths;
}

export interface RemoteBranch {
  name: string;
  sha: string;
}

function parseRefs(text: string, separator: string): RemoteBranch[] {
  const out: RemoteBranch[] = [];
  for (const line of text.split("\n")) {
    if (!line) continue;
    const at = line.indexOf(separator);
    const sha = line.slice(0, at);
    const ref = line.slice(at + 1);
    if (ref.startsWith("refs/heads/")) out.push({ name: ref.slice("refs/heads/".length), sha });
  }
  return out;
}

export async function lsRemoteBranches(
  url: string,
  options: SshOptions & { timeoutMs?: number; secrets?: string[] } = {},
): Promise<RemoteBranch[]> {
  assertNotOption(url, "url");
  const secrets = [...(options.secrets ?? []), options.sshKey];
  return withSshEnv(options, async (env) => {
    const { stdout } = await runGit(["ls-remote", "--heads", url], {
      env,
      timeoutMs: options.timeoutMs,
      secrets,
    });
    return parseRefs(stdout, "\t");
  });
}

/** Branches of a local (possibly bare) repository, read from its refs. */
export async function listLocalBranches(gitDir: string): Promise<RemoteBranch[]> {
  const { stdout } = await runGit(["for-each-ref", "--format=%(objectname) %(refname)", "refs/heads/"], {
    cwd: gitDir,
  });
  return parseRefs(stdout, " ");
}
