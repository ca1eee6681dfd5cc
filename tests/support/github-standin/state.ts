// What the stand-in knows: tokens, apps, repositories and everything written to them. Tests
// seed it directly and read it back to check what Gantry did.

export interface Permissions {
  admin: boolean;
  maintain: boolean;
  push: boolean;
  triage: boolean;
  pull: boolean;
}

export interface StandinBranch {
  name: string;
  sha: string;
  protected?: boolean;
}

export interface StandinDelivery {
  id: number;
  guid: string;
  delivered_at: string;
  redelivery: boolean;
  duration: number;
  status: string;
  status_code: number;
  event: string;
  action: string | null;
  installation_id: number | null;
  repository_id: number | null;
  /** What was sent (headers and parsed body) and what came back. */
  request: { headers: Record<string, string>; payload: unknown };
  response: { headers: Record<string, string>; payload: string };
  /** The exact bytes sent, re-sent as they are by a redelivery. */
  raw: Buffer;
}

export interface StandinHook {
  id: number;
  name: "web";
  active: boolean;
  events: string[];
  config: { url: string; content_type: string; insecure_ssl: string; secret?: string };
  created_at: string;
  updated_at: string;
  deliveries: StandinDelivery[];
}

export interface StandinKey {
  id: number;
  key: string;
  title: string;
  read_only: boolean;
  verified: boolean;
  created_at: string;
}

export interface StandinStatus {
  id: number;
  sha: string;
  state: string;
  target_url: string | null;
  description: string | null;
  context: string;
  created_at: string;
}

/** A check run of a commit (Checks API), as CI would create and complete it. */
export interface StandinCheckRun {
  id: number;
  head_sha: string;
  name: string;
  status: "queued" | "in_progress" | "completed";
  conclusion: string | null;
  started_at: string;
  completed_at: string | null;
}

export interface StandinDeployment {
  id: number;
  sha: string;
  ref: string;
  environment: string;
  description: string | null;
  production_environment: boolean;
  transient_environment: boolean;
  payload: unknown;
  created_at: string;
  statuses: Array<{
    id: number;
    state: string;
    environment: string;
    environment_url: string;
    log_url: string;
    description: string;
    created_at: string;
  }>;
}

/** A comment on an issue or pull request (issues API). */
export interface StandinComment {
  id: number;
  issue: number;
  body: string;
  user: string;
  created_at: string;
  updated_at: string;
}

export interface StandinRepo {
  id: number;
  owner: string;
  name: string;
  private: boolean;
  defaultBranch: string;
  permissions: Permissions;
  /** A bare git repository whose refs are the branches (read live with git for-each-ref). */
  gitDir?: string;
  /** Branches when there is no gitDir. */
  branches: StandinBranch[];
  /** Forces POST /merges to answer 409 (repositories without a gitDir). */
  mergeConflict?: boolean;
  hooks: StandinHook[];
  keys: StandinKey[];
  statuses: StandinStatus[];
  checkRuns: StandinCheckRun[];
  deployments: StandinDeployment[];
  comments: StandinComment[];
}

export interface RepoSeed {
  owner: string;
  name: string;
  private?: boolean;
  defaultBranch?: string;
  /** "admin" (default), "write" (push, no admin) or "read" (pull only). */
  access?: "admin" | "write" | "read";
  gitDir?: string;
  branches?: StandinBranch[];
  mergeConflict?: boolean;
}

export interface StandinApp {
  id: number;
  /** PEM public key that the app's JWTs must verify against. */
  publicKey: string;
  installations: number[];
}

export interface StandinState {
  tokens: Set<string>;
  apps: Map<number, StandinApp>;
  repos: Map<string, StandinRepo>;
  /** Users' public SSH keys (`GET /users/{username}/keys`), by lower-case login. */
  userKeys: Map<string, { id: number; key: string }[]>;
  nextId: () => number;
}

const ACCESS: Record<NonNullable<RepoSeed["access"]>, Permissions> = {
  admin: { admin: true, maintain: true, push: true, triage: true, pull: true },
  write: { admin: false, maintain: false, push: true, triage: true, pull: true },
  read: { admin: false, maintain: false, push: false, triage: false, pull: true },
};

export function createState(): StandinState {
  let id = 1000;
  return { tokens: new Set(), apps: new Map(), repos: new Map(), userKeys: new Map(), nextId: () => ++id };
}

export function repoKey(owner: string, name: string): string {
  return `${owner}/${name}`.toLowerCase();
}

export function seedRepo(state: StandinState, seed: RepoSeed): StandinRepo {
  const repo: StandinRepo = {
    id: state.nextId(),
    owner: seed.owner,
    name: seed.name,
    private: seed.private ?? true,
    defaultBranch: seed.defaultBranch ?? "main",
    permissions: ACCESS[seed.access ?? "admin"],
    gitDir: seed.gitDir,
    branches: seed.branches ?? [],
    mergeConflict: seed.mergeConflict,
    hooks: [],
    keys: [],
    statuses: [],
    checkRuns: [],
    deployments: [],
    comments: [],
  };
  state.repos.set(repoKey(seed.owner, seed.name), repo);
  return repo;
}
