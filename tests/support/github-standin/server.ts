// A local HTTP server that answers like api.github.com for the endpoints Gantry calls, and
// records every request. Tests point octokit's baseUrl at `url`.
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type Caller, identify } from "./auth";
import { checkRunJson, checkRunsOf, combinedStatus, resolveRef } from "./checks";
import { deliverEvent, deliveriesPage, deliveryItemJson, deliveryJson, redeliver } from "./deliveries";
import { branchesOf, mergeInGit } from "./git-backed";
import { GIT_PATH, serveGit } from "./git-http";
import {
  branchDetailJson,
  branchJson,
  commentJson,
  deploymentJson,
  deploymentStatusJson,
  errorJson,
  hookJson,
  keyJson,
  repoJson,
  statusJson,
} from "./shapes";
import {
  createState,
  type RepoSeed,
  repoKey,
  type StandinApp,
  type StandinCheckRun,
  type StandinDelivery,
  type StandinHook,
  type StandinRepo,
  type StandinState,
  seedRepo,
} from "./state";

export interface RecordedRequest {
  method: string;
  /** Path with query string, as received. */
  path: string;
  headers: Record<string, string>;
  /** Parsed JSON body, the raw text when not JSON, or null when empty. */
  body: unknown;
  status: number;
}

export interface GithubStandin {
  url: string;
  /** A token the stand-in accepts (more via addToken). */
  token: string;
  requests: RecordedRequest[];
  state: StandinState;
  addRepo(seed: RepoSeed): StandinRepo;
  addToken(token: string): void;
  /** A GitHub user with these public keys (`ssh-ed25519 AAAA…` lines). */
  addUserKeys(login: string, keys: string[]): void;
  addApp(app: { id: number; publicKey: string; installations: number[] }): StandinApp;
  /** CI reporting a check run on a commit (a new run of the same name supersedes the older). */
  addCheckRun(
    repo: StandinRepo,
    run: { sha: string; name: string; status?: StandinCheckRun["status"]; conclusion?: string | null },
  ): StandinCheckRun;
  /**
   * GitHub sending an event: signed with each subscribed hook's secret, POSTed to its URL,
   * recorded (request and answer) for the deliveries API and redelivery.
   */
  deliver(
    repo: StandinRepo,
    event: string,
    payload: Record<string, unknown>,
    guid?: string,
  ): Promise<StandinDelivery[]>;
  /** Records a delivery of a hook as GitHub would show it in the deliveries API (not sent). */
  addDelivery(
    hook: StandinHook,
    delivery: { event: string; statusCode: number; status?: string },
  ): StandinDelivery;
  close(): Promise<void>;
}

type Reply = { status: number; body?: unknown; headers?: Record<string, string> };
type Ctx = {
  method: string;
  url: URL;
  base: string;
  body: unknown;
  caller: Caller;
  params: string[];
};
type Handler = (ctx: Ctx) => Promise<Reply> | Reply;

const JSON_HEADERS = {
  "content-type": "application/json; charset=utf-8",
  "x-github-media-type": "github.v3; format=json",
  "x-ratelimit-limit": "5000",
  "x-ratelimit-remaining": "4999",
  "x-ratelimit-used": "1",
  "x-ratelimit-resource": "core",
};

const notFound = (): Reply => ({ status: 404, body: errorJson("Not Found") });
const forbidden = (): Reply => ({ status: 403, body: errorJson("Resource not accessible by integration") });
const invalid = (resource: string, field: string, code = "missing_field", message?: string): Reply => ({
  status: 422,
  body: errorJson("Validation Failed", {
    errors: [{ resource, code, field, ...(message ? { message } : {}) }],
  }),
});

function now(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** One page of `items`, with GitHub's Link header (prev/next/last/first). */
function paginate<T>(ctx: Ctx, items: T[]): Reply {
  const perPage = Math.min(Math.max(Number(ctx.url.searchParams.get("per_page") ?? 30) || 30, 1), 100);
  const page = Math.max(Number(ctx.url.searchParams.get("page") ?? 1) || 1, 1);
  const last = Math.max(Math.ceil(items.length / perPage), 1);
  const link = (p: number, rel: string) => {
    const u = new URL(ctx.url.pathname, ctx.base);
    u.searchParams.set("per_page", String(perPage));
    u.searchParams.set("page", String(p));
    return `<${u.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page > 1) links.push(link(page - 1, "prev"));
  if (page < last) links.push(link(page + 1, "next"), link(last, "last"));
  if (page > 1) links.push(link(1, "first"));
  return {
    status: 200,
    body: items.slice((page - 1) * perPage, page * perPage),
    headers: links.length ? { link: links.join(", ") } : {},
  };
}

function record(body: unknown): Record<string, unknown> {
  return typeof body === "object" && body !== null && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : {};
}

export async function startGithubStandin(options: { port?: number } = {}): Promise<GithubStandin> {
  const state = createState();
  const token = `ghp_${randomBytes(18).toString("hex")}`;
  state.tokens.add(token);
  const requests: RecordedRequest[] = [];
  let base = "";

  const repoOf = (ctx: Ctx): StandinRepo | null =>
    state.repos.get(repoKey(ctx.params[0]!, ctx.params[1]!)) ?? null;

  // Wraps repository routes: unknown repositories are 404 (GitHub hides what a caller cannot
  // see), admin-only endpoints are 403 for callers without admin.
  const onRepo =
    (
      need: "pull" | "push" | "admin",
      handler: (ctx: Ctx, repo: StandinRepo) => Promise<Reply> | Reply,
    ): Handler =>
    (ctx) => {
      const repo = repoOf(ctx);
      if (!repo) return notFound();
      if (!repo.permissions[need]) return forbidden();
      return handler(ctx, repo);
    };

  const hookOf = (repo: StandinRepo, id: string) => repo.hooks.find((h) => h.id === Number(id));

  const routes: Array<[string, RegExp, Handler]> = [
    [
      "GET",
      /^\/users\/([^/]+)\/keys$/,
      (ctx) => {
        const keys = state.userKeys.get(ctx.params[0]!.toLowerCase());
        return keys ? paginate(ctx, keys) : notFound();
      },
    ],
    [
      "GET",
      /^\/repos\/([^/]+)\/([^/]+)$/,
      onRepo("pull", (ctx, repo) => ({ status: 200, body: repoJson(ctx.base, repo) })),
    ],
    [
      "GET",
      /^\/repos\/([^/]+)\/([^/]+)\/branches$/,
      onRepo("pull", async (ctx, repo) =>
        paginate(
          ctx,
          (await branchesOf(repo)).map((b) => branchJson(ctx.base, repo, b.name, b.sha, b.protected)),
        ),
      ),
    ],
    [
      "GET",
      /^\/repos\/([^/]+)\/([^/]+)\/branches\/(.+)$/,
      onRepo("pull", async (ctx, repo) => {
        const name = ctx.params[2]!;
        const branch = (await branchesOf(repo)).find((b) => b.name === name);
        if (!branch) return { status: 404, body: errorJson("Branch not found") };
        return {
          status: 200,
          body: branchDetailJson(ctx.base, repo, branch.name, branch.sha, branch.protected),
        };
      }),
    ],
    [
      "GET",
      /^\/repos\/([^/]+)\/([^/]+)\/hooks$/,
      onRepo("admin", (ctx, repo) =>
        paginate(
          ctx,
          repo.hooks.map((h) => hookJson(ctx.base, repo, h)),
        ),
      ),
    ],
    [
      "POST",
      /^\/repos\/([^/]+)\/([^/]+)\/hooks$/,
      onRepo("admin", (ctx, repo) => {
        const body = record(ctx.body);
        const config = record(body.config);
        if (typeof config.url !== "string" || !/^https?:\/\//.test(config.url)) return invalid("Hook", "url");
        if (repo.hooks.some((h) => h.config.url === config.url)) {
          return invalid("Hook", "config", "custom", "Hook already exists on this repository");
        }
        const hook: StandinHook = {
          id: state.nextId(),
          name: "web",
          active: body.active !== false,
          events: Array.isArray(body.events) ? (body.events as string[]) : ["push"],
          config: {
            url: config.url,
            content_type: typeof config.content_type === "string" ? config.content_type : "form",
            insecure_ssl: String(config.insecure_ssl ?? "0"),
            secret: typeof config.secret === "string" ? config.secret : undefined,
          },
          created_at: now(),
          updated_at: now(),
          deliveries: [],
        };
        repo.hooks.push(hook);
        return { status: 201, body: hookJson(ctx.base, repo, hook) };
      }),
    ],
    [
      "PATCH",
      /^\/repos\/([^/]+)\/([^/]+)\/hooks\/(\d+)$/,
      onRepo("admin", (ctx, repo) => {
        const hook = hookOf(repo, ctx.params[2]!);
        if (!hook) return notFound();
        const body = record(ctx.body);
        const config = record(body.config);
        if (typeof config.url === "string") hook.config.url = config.url;
        if (typeof config.content_type === "string") hook.config.content_type = config.content_type;
        if (config.insecure_ssl !== undefined) hook.config.insecure_ssl = String(config.insecure_ssl);
        if (typeof config.secret === "string") hook.config.secret = config.secret;
        if (Array.isArray(body.events)) hook.events = body.events as string[];
        if (typeof body.active === "boolean") hook.active = body.active;
        hook.updated_at = now();
        return { status: 200, body: hookJson(ctx.base, repo, hook) };
      }),
    ],
    [
      "DELETE",
      /^\/repos\/([^/]+)\/([^/]+)\/hooks\/(\d+)$/,
      onRepo("admin", (_ctx, repo) => {
        const before = repo.hooks.length;
        repo.hooks = repo.hooks.filter((h) => h.id !== Number(_ctx.params[2]));
        return before === repo.hooks.length ? notFound() : { status: 204 };
      }),
    ],
    [
      "GET",
      /^\/repos\/([^/]+)\/([^/]+)\/hooks\/(\d+)\/deliveries$/,
      onRepo("admin", (ctx, repo) => {
        const hook = hookOf(repo, ctx.params[2]!);
        if (!hook) return notFound();
        const page = deliveriesPage(ctx.url, ctx.base, hook);
        return {
          status: 200,
          body: page.items.map(deliveryItemJson),
          headers: page.link ? { link: page.link } : {},
        };
      }),
    ],
    [
      "GET",
      /^\/repos\/([^/]+)\/([^/]+)\/hooks\/(\d+)\/deliveries\/(\d+)$/,
      onRepo("admin", (ctx, repo) => {
        const hook = hookOf(repo, ctx.params[2]!);
        const delivery = hook?.deliveries.find((d) => d.id === Number(ctx.params[3]));
        if (!hook || !delivery) return notFound();
        return { status: 200, body: deliveryJson(ctx.base, repo, hook, delivery) };
      }),
    ],
    [
      "POST",
      /^\/repos\/([^/]+)\/([^/]+)\/hooks\/(\d+)\/deliveries\/(\d+)\/attempts$/,
      onRepo("admin", (ctx, repo) => {
        const hook = hookOf(repo, ctx.params[2]!);
        const delivery = hook?.deliveries.find((d) => d.id === Number(ctx.params[3]));
        if (!hook || !delivery) return notFound();
        // GitHub accepts at once and sends in the background: the new attempt appears later.
        void redeliver(state, hook, delivery).catch(() => {});
        return { status: 202, body: {} };
      }),
    ],
    [
      "GET",
      /^\/repos\/([^/]+)\/([^/]+)\/keys$/,
      onRepo("admin", (ctx, repo) =>
        paginate(
          ctx,
          repo.keys.map((k) => keyJson(ctx.base, repo, k)),
        ),
      ),
    ],
    [
      "POST",
      /^\/repos\/([^/]+)\/([^/]+)\/keys$/,
      onRepo("admin", (ctx, repo) => {
        const body = record(ctx.body);
        const key = typeof body.key === "string" ? body.key.trim() : "";
        const material = key.split(/\s+/).slice(0, 2).join(" ");
        if (!/^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp256) [A-Za-z0-9+/]+=*$/.test(material)) {
          return invalid(
            "PublicKey",
            "key",
            "custom",
            "key is invalid. You must supply a key in OpenSSH public key format",
          );
        }
        const inUse = [...state.repos.values()].some((r) =>
          r.keys.some((k) => k.key.split(/\s+/).slice(0, 2).join(" ") === material),
        );
        if (inUse) return invalid("PublicKey", "key", "custom", "key is already in use");
        const created = {
          id: state.nextId(),
          key: material,
          title: typeof body.title === "string" ? body.title : "",
          read_only: body.read_only === true,
          verified: true,
          created_at: now(),
        };
        repo.keys.push(created);
        return { status: 201, body: keyJson(ctx.base, repo, created) };
      }),
    ],
    [
      "DELETE",
      /^\/repos\/([^/]+)\/([^/]+)\/keys\/(\d+)$/,
      onRepo("admin", (ctx, repo) => {
        const before = repo.keys.length;
        repo.keys = repo.keys.filter((k) => k.id !== Number(ctx.params[2]));
        return before === repo.keys.length ? notFound() : { status: 204 };
      }),
    ],
    [
      "POST",
      /^\/repos\/([^/]+)\/([^/]+)\/statuses\/([0-9a-f]{40})$/,
      onRepo("push", (ctx, repo) => {
        const body = record(ctx.body);
        if (!["pending", "success", "failure", "error"].includes(String(body.state))) {
          return invalid("Status", "state", "custom", "State is not included in the list");
        }
        if (typeof body.description === "string" && body.description.length > 140) {
          return invalid(
            "Status",
            "description",
            "custom",
            "description is too long (maximum is 140 characters)",
          );
        }
        const status = {
          id: state.nextId(),
          sha: ctx.params[2]!,
          state: String(body.state),
          target_url: typeof body.target_url === "string" ? body.target_url : null,
          description: typeof body.description === "string" ? body.description : null,
          context: typeof body.context === "string" ? body.context : "default",
          created_at: now(),
        };
        repo.statuses.push(status);
        return { status: 201, body: statusJson(ctx.base, repo, status) };
      }),
    ],
    [
      "GET",
      /^\/repos\/([^/]+)\/([^/]+)\/commits\/([^/]+)\/statuses$/,
      onRepo("pull", (ctx, repo) =>
        paginate(
          ctx,
          repo.statuses
            .filter((s) => s.sha === ctx.params[2])
            .reverse()
            .map((s) => statusJson(ctx.base, repo, s)),
        ),
      ),
    ],
    [
      "GET",
      /^\/repos\/([^/]+)\/([^/]+)\/commits\/([^/]+)\/check-runs$/,
      onRepo("pull", async (ctx, repo) => {
        const sha = await resolveRef(repo, ctx.params[2]!);
        if (!sha) return { status: 422, body: errorJson(`No commit found for SHA: ${ctx.params[2]}`) };
        const runs = checkRunsOf(repo, sha, ctx.url.searchParams.get("filter"));
        const page = paginate(
          ctx,
          runs.map((r) => checkRunJson(ctx.base, repo, r)),
        );
        return { ...page, body: { total_count: runs.length, check_runs: page.body } };
      }),
    ],
    [
      "GET",
      /^\/repos\/([^/]+)\/([^/]+)\/commits\/([^/]+)\/status$/,
      onRepo("pull", async (ctx, repo) => {
        const sha = await resolveRef(repo, ctx.params[2]!);
        if (!sha) return { status: 422, body: errorJson(`No commit found for SHA: ${ctx.params[2]}`) };
        const combined = combinedStatus(repo, sha);
        return {
          status: 200,
          body: {
            state: combined.state,
            sha,
            total_count: combined.statuses.length,
            statuses: combined.statuses.map((s) => statusJson(ctx.base, repo, s)),
            repository: repoJson(ctx.base, repo),
            commit_url: `${ctx.base}/repos/${repo.owner}/${repo.name}/commits/${sha}`,
            url: `${ctx.base}/repos/${repo.owner}/${repo.name}/commits/${sha}/status`,
          },
        };
      }),
    ],
    [
      "POST",
      /^\/repos\/([^/]+)\/([^/]+)\/deployments$/,
      onRepo("push", async (ctx, repo) => {
        const body = record(ctx.body);
        const ref = typeof body.ref === "string" ? body.ref : "";
        const branch = (await branchesOf(repo)).find((b) => b.name === ref);
        const sha = branch?.sha ?? (/^[0-9a-f]{40}$/.test(ref) ? ref : null);
        if (!sha) return { status: 422, body: errorJson(`No ref found for: ${ref}`) };
        const deployment = {
          id: state.nextId(),
          sha,
          ref,
          environment: typeof body.environment === "string" ? body.environment : "production",
          description: typeof body.description === "string" ? body.description : null,
          production_environment: body.production_environment === true,
          transient_environment: body.transient_environment === true,
          payload: body.payload ?? {},
          created_at: now(),
          statuses: [],
        };
        repo.deployments.push(deployment);
        return { status: 201, body: deploymentJson(ctx.base, repo, deployment) };
      }),
    ],
    [
      "POST",
      /^\/repos\/([^/]+)\/([^/]+)\/deployments\/(\d+)\/statuses$/,
      onRepo("push", (ctx, repo) => {
        const deployment = repo.deployments.find((d) => d.id === Number(ctx.params[2]));
        if (!deployment) return notFound();
        const body = record(ctx.body);
        const states = ["error", "failure", "inactive", "in_progress", "queued", "pending", "success"];
        if (!states.includes(String(body.state))) return invalid("DeploymentStatus", "state", "invalid");
        const status = {
          id: state.nextId(),
          state: String(body.state),
          environment: typeof body.environment === "string" ? body.environment : deployment.environment,
          environment_url: typeof body.environment_url === "string" ? body.environment_url : "",
          log_url: typeof body.log_url === "string" ? body.log_url : "",
          description: typeof body.description === "string" ? body.description : "",
          created_at: now(),
        };
        deployment.statuses.push(status);
        return { status: 201, body: deploymentStatusJson(ctx.base, repo, deployment, status) };
      }),
    ],
    [
      "GET",
      /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/,
      onRepo("pull", (ctx, repo) =>
        paginate(
          ctx,
          repo.comments
            .filter((c) => c.issue === Number(ctx.params[2]))
            .map((c) => commentJson(ctx.base, repo, c)),
        ),
      ),
    ],
    [
      "POST",
      /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/,
      onRepo("pull", (ctx, repo) => {
        const body = record(ctx.body);
        if (typeof body.body !== "string" || body.body === "") return invalid("IssueComment", "body");
        if (body.body.length > 65_536) {
          return invalid("IssueComment", "body", "custom", "Body is too long (maximum is 65536 characters)");
        }
        const comment = {
          id: state.nextId(),
          issue: Number(ctx.params[2]),
          body: body.body,
          user: "gantry-bot",
          created_at: now(),
          updated_at: now(),
        };
        repo.comments.push(comment);
        return { status: 201, body: commentJson(ctx.base, repo, comment) };
      }),
    ],
    [
      "PATCH",
      /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/,
      onRepo("pull", (ctx, repo) => {
        const comment = repo.comments.find((c) => c.id === Number(ctx.params[2]));
        if (!comment) return notFound();
        const body = record(ctx.body);
        if (typeof body.body !== "string" || body.body === "") return invalid("IssueComment", "body");
        comment.body = body.body;
        comment.updated_at = now();
        return { status: 200, body: commentJson(ctx.base, repo, comment) };
      }),
    ],
    [
      "POST",
      /^\/repos\/([^/]+)\/([^/]+)\/merges$/,
      onRepo("push", async (ctx, repo) => {
        const body = record(ctx.body);
        const baseRef = typeof body.base === "string" ? body.base : "";
        const headRef = typeof body.head === "string" ? body.head : "";
        if (!baseRef || !headRef) return invalid("Merge", baseRef ? "head" : "base");
        const message =
          typeof body.commit_message === "string" ? body.commit_message : `Merge ${headRef} into ${baseRef}`;
        if (repo.mergeConflict) return { status: 409, body: errorJson("Merge conflict") };
        if (!repo.gitDir) return { status: 404, body: errorJson("Base does not exist") };
        const outcome = await mergeInGit(repo.gitDir, baseRef, headRef, message);
        if (outcome.kind === "missing") {
          return {
            status: 404,
            body: errorJson(outcome.which === "base" ? "Base does not exist" : "Head does not exist"),
          };
        }
        if (outcome.kind === "conflict") return { status: 409, body: errorJson("Merge conflict") };
        if (outcome.kind === "up_to_date") return { status: 204 };
        const api = `${ctx.base}/repos/${repo.owner}/${repo.name}`;
        return {
          status: 201,
          body: {
            sha: outcome.sha,
            node_id: "MDA6RW50aXR5MQ==",
            url: `${api}/commits/${outcome.sha}`,
            html_url: `https://github.com/${repo.owner}/${repo.name}/commit/${outcome.sha}`,
            commit: {
              message,
              tree: { sha: outcome.tree, url: `${api}/git/trees/${outcome.tree}` },
              author: { name: "GitHub", email: "noreply@github.com", date: now() },
              committer: { name: "GitHub", email: "noreply@github.com", date: now() },
            },
            parents: outcome.parents.map((sha) => ({ sha, url: `${api}/commits/${sha}` })),
          },
        };
      }),
    ],
    [
      "POST",
      /^\/app\/installations\/(\d+)\/access_tokens$/,
      (ctx) => {
        if (ctx.caller.kind !== "app") {
          return { status: 401, body: errorJson("A JSON web token could not be decoded") };
        }
        if (!ctx.caller.app.installations.includes(Number(ctx.params[0]))) return notFound();
        const installationToken = `ghs_${randomBytes(18).toString("hex")}`;
        state.tokens.add(installationToken);
        return {
          status: 201,
          body: {
            token: installationToken,
            expires_at: new Date(Date.now() + 3600_000).toISOString().replace(/\.\d{3}Z$/, "Z"),
            permissions: { contents: "read", metadata: "read", administration: "write", statuses: "write" },
            repository_selection: "all",
          },
        };
      },
    ],
  ];

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Git's smart HTTP (clones and pushes with a token), not the REST API.
    if (GIT_PATH.test(new URL(req.url ?? "/", base).pathname)) return serveGit(state, req, res);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    let body: unknown = null;
    if (raw) {
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
    }
    const url = new URL(req.url ?? "/", base);
    const method = (req.method ?? "GET").toUpperCase();
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : (v ?? "")]),
    );
    const entry: RecordedRequest = { method, path: `${url.pathname}${url.search}`, headers, body, status: 0 };
    requests.push(entry);

    const reply = await route(method, url, body, identify(state, req.headers));
    entry.status = reply.status;
    const payload = reply.body === undefined ? "" : JSON.stringify(reply.body);
    res.writeHead(reply.status, {
      ...(reply.body === undefined ? {} : JSON_HEADERS),
      "x-github-request-id": randomBytes(8).toString("hex").toUpperCase(),
      ...reply.headers,
    });
    res.end(payload);
  }

  async function route(method: string, url: URL, body: unknown, caller: Caller): Promise<Reply> {
    const isTokenExchange = url.pathname.startsWith("/app/");
    // A user's public keys are public: GitHub answers them without credentials.
    const isPublic = method === "GET" && /^\/users\/[^/]+\/keys$/.test(url.pathname);
    if (!isTokenExchange && !isPublic) {
      if (caller.kind === "none") return { status: 401, body: errorJson("Requires authentication") };
      if (caller.kind !== "token") return { status: 401, body: errorJson("Bad credentials") };
    }
    let pathMatched = false;
    for (const [m, pattern, handler] of routes) {
      const match = pattern.exec(url.pathname);
      if (!match) continue;
      pathMatched = true;
      if (m !== method) continue;
      const params = match.slice(1).map((p) => decodeURIComponent(p));
      return handler({ method, url, base, body, caller, params });
    }
    return pathMatched ? { status: 404, body: errorJson("Not Found") } : notFound();
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500, JSON_HEADERS);
      res.end(JSON.stringify(errorJson(`stand-in error: ${(error as Error).message}`)));
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: base,
    token,
    requests,
    state,
    addRepo: (seed) => seedRepo(state, seed),
    addToken: (t) => state.tokens.add(t),
    addUserKeys: (login, keys) => {
      state.userKeys.set(
        login.toLowerCase(),
        keys.map((key) => ({ id: state.nextId(), key })),
      );
    },
    addApp: (app) => {
      const created = { ...app };
      state.apps.set(app.id, created);
      return created;
    },
    addCheckRun: (repo, run) => {
      const status = run.status ?? (run.conclusion ? "completed" : "in_progress");
      const created: StandinCheckRun = {
        id: state.nextId(),
        head_sha: run.sha,
        name: run.name,
        status,
        conclusion: status === "completed" ? (run.conclusion ?? "success") : null,
        started_at: now(),
        completed_at: status === "completed" ? now() : null,
      };
      repo.checkRuns.push(created);
      return created;
    },
    deliver: (repo, event, payload, guid) => deliverEvent(state, repo, event, payload, guid),
    addDelivery: (hook, d) => {
      const delivery: StandinDelivery = {
        id: state.nextId(),
        guid: crypto.randomUUID(),
        delivered_at: now(),
        redelivery: false,
        duration: 0.1,
        status: d.status ?? (d.statusCode >= 200 && d.statusCode < 300 ? "OK" : "Invalid HTTP Response: 500"),
        status_code: d.statusCode,
        event: d.event,
        action: null,
        installation_id: null,
        repository_id: null,
        request: { headers: {}, payload: null },
        response: { headers: {}, payload: "" },
        raw: Buffer.from("null"),
      };
      hook.deliveries.push(delivery);
      return delivery;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
