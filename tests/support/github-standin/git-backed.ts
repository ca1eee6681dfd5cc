// Repositories backed by a real bare git repository: branches are its refs, and merges are
// real three-way merges (git merge-tree), so conflicts come from the content itself.
import { GitError, listLocalBranches, runGit } from "@gantry/git";
import type { StandinBranch, StandinRepo } from "./state";

const IDENTITY = {
  GIT_AUTHOR_NAME: "GitHub",
  GIT_AUTHOR_EMAIL: "noreply@github.com",
  GIT_COMMITTER_NAME: "GitHub",
  GIT_COMMITTER_EMAIL: "noreply@github.com",
};

export async function branchesOf(repo: StandinRepo): Promise<StandinBranch[]> {
  if (!repo.gitDir) return [...repo.branches].sort((a, b) => a.name.localeCompare(b.name));
  return (await listLocalBranches(repo.gitDir)).map((b) => ({ name: b.name, sha: b.sha }));
}

async function revParse(gitDir: string, ref: string): Promise<string | null> {
  try {
    return (
      await runGit(["rev-parse", "--verify", "--quiet", `refs/heads/${ref}^{commit}`], { cwd: gitDir })
    ).stdout.trim();
  } catch (error) {
    if (error instanceof GitError && error.code === "failed") return null;
    throw error;
  }
}

export type MergeOutcome =
  | { kind: "merged"; sha: string; tree: string; parents: [string, string] }
  | { kind: "up_to_date" }
  | { kind: "conflict" }
  | { kind: "missing"; which: "base" | "head" };

export async function mergeInGit(
  gitDir: string,
  base: string,
  head: string,
  message: string,
): Promise<MergeOutcome> {
  const baseSha = await revParse(gitDir, base);
  if (!baseSha) return { kind: "missing", which: "base" };
  const headSha = await revParse(gitDir, head);
  if (!headSha) return { kind: "missing", which: "head" };
  try {
    await runGit(["merge-base", "--is-ancestor", headSha, baseSha], { cwd: gitDir });
    return { kind: "up_to_date" };
  } catch (error) {
    if (!(error instanceof GitError && error.exitCode === 1)) throw error;
  }
  let tree: string;
  try {
    tree = (await runGit(["merge-tree", "--write-tree", baseSha, headSha], { cwd: gitDir })).stdout.split(
      "\n",
    )[0]!;
  } catch (error) {
    if (error instanceof GitError && error.exitCode === 1) return { kind: "conflict" };
    throw error;
  }
  const sha = (
    await runGit(["commit-tree", tree, "-p", baseSha, "-p", headSha, "-m", message], {
      cwd: gitDir,
      env: IDENTITY,
    })
  ).stdout.trim();
  await runGit(["update-ref", `refs/heads/${base}`, sha, baseSha], { cwd: gitDir });
  return { kind: "merged", sha, tree, parents: [baseSha, headSha] };
}
