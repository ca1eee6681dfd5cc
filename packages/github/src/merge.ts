// Merging one branch into another on GitHub (e.g. staging into production). Conflicts and
// missing branches are results, not exceptions: the caller shows them to a person.
import type { Octokit } from "@octokit/rest";
import { z } from "zod";
import { call, GithubError } from "./errors";
import { parseOrThrow } from "./repos";

export type MergeResult =
  | { kind: "merged"; sha: string }
  | { kind: "up_to_date" }
  | { kind: "conflict"; message: string }
  | { kind: "missing"; message: string };

export async function mergeBranch(
  octokit: Octokit,
  owner: string,
  repo: string,
  base: string,
  head: string,
  commitMessage?: string,
): Promise<MergeResult> {
  const what = `merge ${head} into ${base} on ${owner}/${repo}`;
  try {
    const response = await call(what, () =>
      octokit.rest.repos.merge({ owner, repo, base, head, commit_message: commitMessage }),
    );
    // 204: nothing to merge, base already contains head.
    if ((response.status as number) === 204) return { kind: "up_to_date" };
    return { kind: "merged", sha: parseOrThrow(z.object({ sha: z.string() }), response.data, what).sha };
  } catch (error) {
    if (error instanceof GithubError && error.code === "conflict")
      return { kind: "conflict", message: error.message };
    if (error instanceof GithubError && error.code === "not_found")
      return { kind: "missing", message: error.message };
    throw error;
  }
}
