export { type CloneOptions, checkout, clone, type FetchOptions, fetch, updateSubmodules } from "./clone";
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
