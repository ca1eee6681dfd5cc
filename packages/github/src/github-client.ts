// The client the rest of Gantry uses: one object per credential, each method a small,
// validated call. `octokit` stays reachable for the rare call not wrapped here.
import type { Octokit } from "@octokit/rest";
import { listCommitChecks } from "./checks";
import { createOctokit, type GithubClientOptions } from "./client";
import { createIssueComment, listIssueComments, updateIssueComment } from "./comments";
import { ensureDeployKey, verifyDeployKey } from "./deploy-keys";
import { ensureWebhook, verifyWebhook, type WebhookSettings } from "./hooks";
import { mergeBranch } from "./merge";
import { getBranch, getRepository, listBranches } from "./repos";
import {
  type CommitState,
  createCommitStatus,
  createDeployment,
  createDeploymentStatus,
  type DeploymentState,
} from "./statuses";

export function githubClient(options: GithubClientOptions) {
  const octokit: Octokit = createOctokit(options);
  return {
    octokit,
    getRepository: (owner: string, repo: string) => getRepository(octokit, owner, repo),
    listBranches: (owner: string, repo: string) => listBranches(octokit, owner, repo),
    getBranch: (owner: string, repo: string, branch: string) => getBranch(octokit, owner, repo, branch),
    ensureWebhook: (owner: string, repo: string, settings: WebhookSettings) =>
      ensureWebhook(octokit, owner, repo, settings),
    verifyWebhook: (owner: string, repo: string, expected: { url: string; events?: string[] }) =>
      verifyWebhook(octokit, owner, repo, expected),
    ensureDeployKey: (owner: string, repo: string, key: { title: string; publicKey: string }) =>
      ensureDeployKey(octokit, owner, repo, key),
    verifyDeployKey: (owner: string, repo: string, publicKey: string) =>
      verifyDeployKey(octokit, owner, repo, publicKey),
    createCommitStatus: (
      owner: string,
      repo: string,
      sha: string,
      status: { state: CommitState; targetUrl?: string; description?: string; context: string },
    ) => createCommitStatus(octokit, owner, repo, sha, status),
    createDeployment: (owner: string, repo: string, deployment: Parameters<typeof createDeployment>[3]) =>
      createDeployment(octokit, owner, repo, deployment),
    createDeploymentStatus: (
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
    ) => createDeploymentStatus(octokit, owner, repo, deploymentId, status),
    listCommitChecks: (owner: string, repo: string, ref: string) =>
      listCommitChecks(octokit, owner, repo, ref),
    createIssueComment: (owner: string, repo: string, issue: number, body: string) =>
      createIssueComment(octokit, owner, repo, issue, body),
    updateIssueComment: (owner: string, repo: string, commentId: number, body: string) =>
      updateIssueComment(octokit, owner, repo, commentId, body),
    listIssueComments: (owner: string, repo: string, issue: number) =>
      listIssueComments(octokit, owner, repo, issue),
    mergeBranch: (owner: string, repo: string, base: string, head: string, commitMessage?: string) =>
      mergeBranch(octokit, owner, repo, base, head, commitMessage),
  };
}

export type GithubClient = ReturnType<typeof githubClient>;
