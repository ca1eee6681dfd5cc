// JSON bodies shaped like GitHub's REST API v3 answers (checked against recorded exchanges in
// the fixtures suite). Only fields that clients plausibly read are filled.
import type {
  StandinComment,
  StandinDeployment,
  StandinHook,
  StandinKey,
  StandinRepo,
  StandinStatus,
} from "./state";

export const NODE_ID = "MDA6RW50aXR5MQ==";
const DATE = "2024-01-01T00:00:00Z";

export function userJson(base: string, login: string, id = 1) {
  return {
    login,
    id,
    node_id: NODE_ID,
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    gravatar_id: "",
    url: `${base}/users/${login}`,
    html_url: `https://github.com/${login}`,
    type: "Organization",
    site_admin: false,
  };
}

export function repoJson(base: string, repo: StandinRepo) {
  const full = `${repo.owner}/${repo.name}`;
  const api = `${base}/repos/${full}`;
  return {
    id: repo.id,
    node_id: NODE_ID,
    name: repo.name,
    full_name: full,
    private: repo.private,
    owner: userJson(base, repo.owner),
    html_url: `https://github.com/${full}`,
    description: null,
    fork: false,
    url: api,
    hooks_url: `${api}/hooks`,
    keys_url: `${api}/keys{/key_id}`,
    branches_url: `${api}/branches{/branch}`,
    statuses_url: `${api}/statuses/{sha}`,
    merges_url: `${api}/merges`,
    deployments_url: `${api}/deployments`,
    created_at: DATE,
    updated_at: DATE,
    pushed_at: DATE,
    git_url: `git://github.com/${full}.git`,
    ssh_url: `git@github.com:${full}.git`,
    clone_url: `https://github.com/${full}.git`,
    svn_url: `https://github.com/${full}`,
    homepage: null,
    size: 0,
    stargazers_count: 0,
    watchers_count: 0,
    language: "Python",
    has_issues: true,
    forks_count: 0,
    archived: false,
    disabled: false,
    open_issues_count: 0,
    visibility: repo.private ? "private" : "public",
    forks: 0,
    open_issues: 0,
    watchers: 0,
    default_branch: repo.defaultBranch,
    permissions: repo.permissions,
    allow_merge_commit: true,
  };
}

export function branchJson(base: string, repo: StandinRepo, name: string, sha: string, isProtected = false) {
  const api = `${base}/repos/${repo.owner}/${repo.name}`;
  return { name, commit: { sha, url: `${api}/commits/${sha}` }, protected: isProtected };
}

export function branchDetailJson(
  base: string,
  repo: StandinRepo,
  name: string,
  sha: string,
  isProtected = false,
) {
  const api = `${base}/repos/${repo.owner}/${repo.name}`;
  return {
    ...branchJson(base, repo, name, sha, isProtected),
    _links: {
      self: `${api}/branches/${encodeURIComponent(name)}`,
      html: `https://github.com/${repo.owner}/${repo.name}/tree/${name}`,
    },
    protection: {
      enabled: isProtected,
      required_status_checks: { enforcement_level: "off", contexts: [], checks: [] },
    },
    protection_url: `${api}/branches/${encodeURIComponent(name)}/protection`,
  };
}

export function hookJson(base: string, repo: StandinRepo, hook: StandinHook) {
  const api = `${base}/repos/${repo.owner}/${repo.name}/hooks/${hook.id}`;
  return {
    type: "Repository",
    id: hook.id,
    name: hook.name,
    active: hook.active,
    events: hook.events,
    // GitHub never returns a hook's secret, only a mask.
    config: {
      url: hook.config.url,
      content_type: hook.config.content_type,
      insecure_ssl: hook.config.insecure_ssl,
      ...(hook.config.secret ? { secret: "********" } : {}),
    },
    updated_at: hook.updated_at,
    created_at: hook.created_at,
    url: api,
    test_url: `${api}/test`,
    ping_url: `${api}/pings`,
    deliveries_url: `${api}/deliveries`,
    last_response: { code: null, status: "unused", message: null },
  };
}

export function keyJson(base: string, repo: StandinRepo, key: StandinKey) {
  return {
    id: key.id,
    key: key.key,
    url: `${base}/repos/${repo.owner}/${repo.name}/keys/${key.id}`,
    title: key.title,
    verified: key.verified,
    created_at: key.created_at,
    read_only: key.read_only,
    added_by: "gantry",
    last_used: null,
    enabled: true,
  };
}

export function statusJson(base: string, repo: StandinRepo, status: StandinStatus) {
  return {
    url: `${base}/repos/${repo.owner}/${repo.name}/statuses/${status.sha}`,
    avatar_url: "https://avatars.githubusercontent.com/u/1?v=4",
    id: status.id,
    node_id: NODE_ID,
    state: status.state,
    description: status.description,
    target_url: status.target_url,
    context: status.context,
    created_at: status.created_at,
    updated_at: status.created_at,
    creator: userJson(base, "gantry-bot", 2),
  };
}

export function deploymentJson(base: string, repo: StandinRepo, d: StandinDeployment) {
  const api = `${base}/repos/${repo.owner}/${repo.name}/deployments/${d.id}`;
  return {
    url: api,
    id: d.id,
    node_id: NODE_ID,
    sha: d.sha,
    ref: d.ref,
    task: "deploy",
    payload: d.payload,
    original_environment: d.environment,
    environment: d.environment,
    description: d.description,
    creator: userJson(base, "gantry-bot", 2),
    created_at: d.created_at,
    updated_at: d.created_at,
    statuses_url: `${api}/statuses`,
    repository_url: `${base}/repos/${repo.owner}/${repo.name}`,
    transient_environment: d.transient_environment,
    production_environment: d.production_environment,
  };
}

export function deploymentStatusJson(
  base: string,
  repo: StandinRepo,
  d: StandinDeployment,
  s: StandinDeployment["statuses"][number],
) {
  const api = `${base}/repos/${repo.owner}/${repo.name}/deployments/${d.id}`;
  return {
    url: `${api}/statuses/${s.id}`,
    id: s.id,
    node_id: NODE_ID,
    state: s.state,
    creator: userJson(base, "gantry-bot", 2),
    description: s.description,
    environment: s.environment,
    target_url: s.log_url,
    log_url: s.log_url,
    environment_url: s.environment_url,
    created_at: s.created_at,
    updated_at: s.created_at,
    deployment_url: api,
    repository_url: `${base}/repos/${repo.owner}/${repo.name}`,
  };
}

export function commentJson(base: string, repo: StandinRepo, c: StandinComment) {
  const api = `${base}/repos/${repo.owner}/${repo.name}`;
  return {
    url: `${api}/issues/comments/${c.id}`,
    html_url: `https://github.com/${repo.owner}/${repo.name}/pull/${c.issue}#issuecomment-${c.id}`,
    issue_url: `${api}/issues/${c.issue}`,
    id: c.id,
    node_id: NODE_ID,
    user: userJson(base, c.user, 2),
    created_at: c.created_at,
    updated_at: c.updated_at,
    author_association: "NONE",
    body: c.body,
  };
}

export function errorJson(message: string, extra: Record<string, unknown> = {}) {
  return { message, documentation_url: "https://docs.github.com/rest", ...extra };
}
