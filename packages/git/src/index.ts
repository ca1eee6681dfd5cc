export {
  type CloneOptions,
  checkout,
  clone,
  type FetchOptions,
  fetch,
  type SubmoduleOptions,
  updateSubmodules,
} from "./clone";
export {
  type CommitInfo,
  changedFiles,
  commitInfoSchema,
  headCommit,
  listLocalBranches,
  listSubmodules,
  lsRemoteBranches,
  type RemoteBranch,
  readFileAt,
} from "./inspect";
export { ensureKnownHosts } from "./known-hosts";
export {
  assertNotOption,
  DEFAULT_TIMEOUT_MS,
  GitError,
  type GitErrorCode,
  type RunGitOptions,
  runGit,
  runGitRaw,
} from "./run";
export { type SshOptions, withSshEnv } from "./ssh";
export { type SshFailure, sshFailureOf } from "./ssh-failure";
export {
  type ChangeKind,
  commitAll,
  type GitIdentity,
  type PushOptions,
  pushHead,
  type WorktreeChange,
  worktreeChanges,
} from "./worktree";
