// The commit's CI as GitHub answers it: check runs for a ref (`filter=latest` by default: the
// newest run of each name) and the combined status (the newest status of each context).
import { branchesOf } from "./git-backed";
import type { StandinCheckRun, StandinRepo, StandinStatus } from "./state";

/** A sha as it is, or a branch's head. */
export async function resolveRef(repo: StandinRepo, ref: string): Promise<string | null> {
  if (/^[0-9a-f]{40}$/.test(ref)) return ref;
  return (await branchesOf(repo)).find((b) => b.name === ref)?.sha ?? null;
}

export function checkRunJson(base: string, repo: StandinRepo, run: StandinCheckRun) {
  return {
    id: run.id,
    head_sha: run.head_sha,
    node_id: "CR_kwDOAAAAAA",
    external_id: "",
    url: `${base}/repos/${repo.owner}/${repo.name}/check-runs/${run.id}`,
    html_url: `https://github.com/${repo.owner}/${repo.name}/runs/${run.id}`,
    details_url: null,
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.started_at,
    completed_at: run.completed_at,
    output: { title: null, summary: null, text: null, annotations_count: 0, annotations_url: "" },
    name: run.name,
    check_suite: { id: 1 },
    app: null,
    pull_requests: [],
  };
}

export function checkRunsOf(repo: StandinRepo, sha: string, filter: string | null): StandinCheckRun[] {
  const runs = repo.checkRuns.filter((r) => r.head_sha === sha);
  if (filter === "all") return runs;
  const latest = new Map<string, StandinCheckRun>();
  for (const run of runs) {
    const seen = latest.get(run.name);
    if (!seen || run.id > seen.id) latest.set(run.name, run);
  }
  return [...latest.values()];
}

export function combinedStatus(repo: StandinRepo, sha: string): { state: string; statuses: StandinStatus[] } {
  const latest = new Map<string, StandinStatus>();
  for (const status of repo.statuses.filter((s) => s.sha === sha)) {
    const seen = latest.get(status.context);
    if (!seen || status.id > seen.id) latest.set(status.context, status);
  }
  const statuses = [...latest.values()];
  const states = statuses.map((s) => s.state);
  const state = states.some((s) => s === "failure" || s === "error")
    ? "failure"
    : states.length === 0 || states.includes("pending")
      ? "pending"
      : "success";
  return { state, statuses };
}
