// Issue comments (a pull request is an issue): how a preview's URL is posted once and then
// edited in place on later pushes, instead of a new comment per build.
import type { Octokit } from "@octokit/rest";
import { z } from "zod";
import { call } from "./errors";
import { parseOrThrow } from "./repos";

/** GitHub refuses comment bodies over 65536 characters. */
const MAX_BODY = 65_536;

const comment = z.object({ id: z.number(), body: z.string().nullable().optional() });

export interface IssueComment {
  id: number;
  body: string;
}

function clip(body: string): string {
  return body.length <= MAX_BODY ? body : `${body.slice(0, MAX_BODY - 1)}…`;
}

export async function createIssueComment(
  octokit: Octokit,
  owner: string,
  repo: string,
  issue: number,
  body: string,
): Promise<IssueComment> {
  const what = `comment on #${issue} of ${owner}/${repo}`;
  const { data } = await call(what, () =>
    octokit.rest.issues.createComment({ owner, repo, issue_number: issue, body: clip(body) }),
  );
  const parsed = parseOrThrow(comment, data, what);
  return { id: parsed.id, body: parsed.body ?? "" };
}

export async function updateIssueComment(
  octokit: Octokit,
  owner: string,
  repo: string,
  commentId: number,
  body: string,
): Promise<IssueComment> {
  const what = `edit comment ${commentId} on ${owner}/${repo}`;
  const { data } = await call(what, () =>
    octokit.rest.issues.updateComment({ owner, repo, comment_id: commentId, body: clip(body) }),
  );
  const parsed = parseOrThrow(comment, data, what);
  return { id: parsed.id, body: parsed.body ?? "" };
}

export async function listIssueComments(
  octokit: Octokit,
  owner: string,
  repo: string,
  issue: number,
): Promise<IssueComment[]> {
  const what = `list comments of #${issue} on ${owner}/${repo}`;
  const data = await call(what, () =>
    octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: issue, per_page: 100 }),
  );
  return parseOrThrow(z.array(comment), data, what).map((c) => ({ id: c.id, body: c.body ?? "" }));
}
