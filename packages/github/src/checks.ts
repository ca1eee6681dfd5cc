// What GitHub says about a commit's CI: its check runs (Checks API, the latest run of each
// name) and its commit statuses (the combined status, the latest of each context), each
// reduced to a name and one of three states.
import type { Octokit } from "@octokit/rest";
import { z } from "zod";
import { call } from "./errors";
import { parseOrThrow } from "./repos";

export type CheckState = "pending" | "success" | "failure";

export interface CommitCheck {
  name: string;
  kind: "check_run" | "status";
  state: CheckState;
  /** GitHub's own word: a check run's status or conclusion, a status's state. */
  detail: string;
}

// neutral and skipped do not block a merge on GitHub: they do not block a deploy either.
const PASSING_CONCLUSIONS = new Set(["success", "neutral", "skipped"]);

const checkRuns = z.object({
  total_count: z.number().int(),
  check_runs: z.array(
    z.object({
      name: z.string(),
      status: z.string(),
      conclusion: z.string().nullable().optional(),
    }),
  ),
});

const combinedStatus = z.object({
  state: z.string(),
  statuses: z.array(z.object({ context: z.string(), state: z.string() })),
});

export function checkRunState(run: { status: string; conclusion?: string | null }): CheckState {
  if (run.status !== "completed" || !run.conclusion) return "pending";
  return PASSING_CONCLUSIONS.has(run.conclusion) ? "success" : "failure";
}

export function statusState(state: string): CheckState {
  if (state === "success") return "success";
  return state === "failure" || state === "error" ? "failure" : "pending";
}

/** Every check run (latest per name) and commit status (latest per context) of `ref`. */
export async function listCommitChecks(
  octokit: Octokit,
  owner: string,
  repo: string,
  ref: string,
): Promise<CommitCheck[]> {
  const what = `read the checks of ${ref.slice(0, 12)} on ${owner}/${repo}`;
  const checks: CommitCheck[] = [];
  for (let page = 1; page <= 10; page++) {
    const { data } = await call(what, () =>
      octokit.rest.checks.listForRef({ owner, repo, ref, filter: "latest", per_page: 100, page }),
    );
    const parsed = parseOrThrow(checkRuns, data, what);
    for (const run of parsed.check_runs) {
      checks.push({
        name: run.name,
        kind: "check_run",
        state: checkRunState(run),
        detail: run.conclusion ?? run.status,
      });
    }
    if (parsed.check_runs.length < 100 || page * 100 >= parsed.total_count) break;
  }
  const { data } = await call(what, () =>
    octokit.rest.repos.getCombinedStatusForRef({ owner, repo, ref, per_page: 100 }),
  );
  for (const status of parseOrThrow(combinedStatus, data, what).statuses) {
    checks.push({
      name: status.context,
      kind: "status",
      state: statusState(status.state),
      detail: status.state,
    });
  }
  return checks;
}
