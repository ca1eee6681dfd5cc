// Commit statuses and deployments: how builds show up on GitHub.
import type { Octokit } from "@octokit/rest";
import { z } from "zod";
import { call } from "./errors";
import { parseOrThrow } from "./repos";

export type CommitState = "pending" | "success" | "failure" | "error";

/** GitHub refuses status descriptions over 140 characters. */
const MAX_DESCRIPTION = 140;

function clip(text: string | undefined): string | undefined {
  return text === undefined || text.length <= MAX_DESCRIPTION
    ? text
    : `${text.slice(0, MAX_DESCRIPTION - 1)}…`;
}

/** The status context of a branch's builds, e.g. "gantry/feature-x". */
export function statusContext(branch: string): string {
  return `gantry/${branch}`;
}

export async function createCommitStatus(
  octokit: Octokit,
  owner: string,
  repo: string,
  sha: string,
  status: { state: CommitState; targetUrl?: string; description?: string; context: string },
): Promise<{ id: number; state: CommitState; context: string }> {
  const what = `set status of ${sha.slice(0, 12)} on ${owner}/${repo}`;
  const { data } = await call(what, () =>
    octokit.rest.repos.createCommitStatus({
      owner,
      repo,
      sha,
      state: status.state,
      target_url: status.targetUrl,
      description: clip(status.description),
      context: status.context,
    }),
  );
  return parseOrThrow(
    z.object({
      id: z.number(),
      state: z.enum(["pending", "success", "failure", "error"]),
      context: z.string(),
    }),
    data,
    what,
  );
}

export async function createDeployment(
  octokit: Octokit,
  owner: string,
  repo: string,
  deployment: {
    ref: string;
    environment: string;
    description?: string;
    production?: boolean;
    transient?: boolean;
    payload?: Record<string, unknown>;
  },
): Promise<{ id: number }> {
  const what = `create deployment of ${deployment.ref} on ${owner}/${repo}`;
  const { data, status } = await call(what, () =>
    octokit.rest.repos.createDeployment({
      owner,
      repo,
      ref: deployment.ref,
      environment: deployment.environment,
      description: clip(deployment.description),
      production_environment: deployment.production ?? false,
      transient_environment: deployment.transient ?? false,
      payload: deployment.payload ?? {},
      // Gantry deploys what was pushed: no auto-merge of the default branch, no status gate.
      auto_merge: false,
      required_contexts: [],
    }),
  );
  return { id: parseOrThrow(z.object({ id: z.number() }), status === 201 ? data : {}, what).id };
}

export type DeploymentState =
  | "error"
  | "failure"
  | "inactive"
  | "in_progress"
  | "queued"
  | "pending"
  | "success";

export async function createDeploymentStatus(
  octokit: Octokit,
  owner: string,
  repo: string,
  deploymentId: number,
  status: {
    state: DeploymentState;
    environmentUrl?: string;
    logUrl?: string;
    description?: string;
    environment?: string;
  },
): Promise<{ id: number; state: DeploymentState }> {
  const what = `set status of deployment ${deploymentId} on ${owner}/${repo}`;
  const { data } = await call(what, () =>
    octokit.rest.repos.createDeploymentStatus({
      owner,
      repo,
      deployment_id: deploymentId,
      state: status.state,
      environment_url: status.environmentUrl,
      log_url: status.logUrl,
      description: clip(status.description),
      environment: status.environment,
      auto_inactive: true,
    }),
  );
  return parseOrThrow(
    z.object({
      id: z.number(),
      state: z.enum(["error", "failure", "inactive", "in_progress", "queued", "pending", "success"]),
    }),
    data,
    what,
  );
}
