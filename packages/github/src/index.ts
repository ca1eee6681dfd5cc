export { type CheckState, type CommitCheck, checkRunState, listCommitChecks, statusState } from "./checks";
export { createOctokit, GITHUB_API_URL, type GithubAuth, type GithubClientOptions } from "./client";
export { createIssueComment, type IssueComment, listIssueComments, updateIssueComment } from "./comments";
export { type DeployKeyProblem, ensureDeployKey, verifyDeployKey } from "./deploy-keys";
export { codeForStatus, GithubError, type GithubErrorCode, toGithubError } from "./errors";
export { type GithubClient, githubClient } from "./github-client";
export {
  DEFAULT_WEBHOOK_EVENTS,
  ensureWebhook,
  verifyWebhook,
  type WebhookCheck,
  type WebhookProblem,
  type WebhookSettings,
} from "./hooks";
export { type DeployKeyPair, generateDeployKeyPair, publicKeyIdentity } from "./keypair";
export { type MergeResult, mergeBranch } from "./merge";
export {
  gitHttpsOrigin,
  gitPushToken,
  gitSubmoduleTokenEnv,
  gitTokenEnv,
  httpsRepositoryUrl,
} from "./push-token";
export { BRANCH_REF_PREFIX, branchFromRef, isValidBranchName, safeSlug } from "./refs";
export { type Branch, getBranch, getRepository, listBranches, type Repository } from "./repos";
export { GITHUB_SSH_HOST, GITHUB_SSH_HOST_KEYS } from "./ssh-host-keys";
export {
  type CommitState,
  createCommitStatus,
  createDeployment,
  createDeploymentStatus,
  type DeploymentState,
  statusContext,
} from "./statuses";
export { GITHUB_LOGIN_PATTERN, listUserPublicKeys } from "./user-keys";
export {
  type ChecksEvent,
  type CommitSummary,
  type DeleteEvent,
  type IgnoredEvent,
  type PingEvent,
  PULL_REQUEST_ACTIONS,
  type PullRequestEvent,
  type PushEvent,
  type WebhookEvent,
} from "./webhook/events";
export {
  type HeaderSource,
  MAX_WEBHOOK_BYTES,
  type VerifyWebhookInput,
  verifyAndParseWebhook,
  type WebhookFailureCode,
  type WebhookResult,
} from "./webhook/verify";
