// The GitHub flow end to end against the stand-in: connect (webhook + deploy key), verify,
// sync branches from a real bare repository, signed deliveries through the HTTP route (push,
// forced push, delete, pull_request, ping, replay), builds queued with their job, commit
// statuses and deployments, merges with and without conflicts, stage moves on the database.
import { generateKeyPairSync } from "node:crypto";
import type { Server } from "node:http";
import { resetConfigForTests } from "@gantry/config";
import { decrypt } from "@gantry/secrets";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { webhookExample, webhookRequest } from "../../support/github-standin";
import { actorOf, type FlowEnv, git, serveWebhookRoute, startFlowEnv } from "./setup";

let env: FlowEnv;
let core: typeof import("@gantry/core");
let prisma: typeof import("@gantry/db").prisma;
let queue: typeof import("@gantry/queue");
let server: Server;
let endpoint: string;
let adminId: string;
let projectId: string;
const TOKEN = "ghp_flowtoken0123456789";

async function serveRoute(): Promise<void> {
  const served = await serveWebhookRoute();
  server = served.server;
  endpoint = served.url;
}

async function deliver(delivery: { body: Buffer; headers: Record<string, string> }) {
  const response = await fetch(endpoint, {
    method: "POST",
    headers: delivery.headers,
    body: new Uint8Array(delivery.body),
  });
  return { status: response.status, body: (await response.json()) as { ok: boolean; outcome: string } };
}

async function secret(): Promise<string> {
  const p = await prisma().project.findUniqueOrThrow({ where: { id: projectId } });
  return decrypt(p.webhookSecretEnc!, process.env.GANTRY_SECRET!);
}

function pushPayload(ref: string, before: string, after: string, extra: Record<string, unknown> = {}) {
  const base = webhookExample("push", (p) => (p.head_commit as unknown) !== null);
  return {
    ...base,
    ref,
    before,
    after,
    created: /^0+$/.test(before),
    deleted: /^0+$/.test(after),
    forced: false,
    repository: { ...(base.repository as object), full_name: "acme/acme17" },
    head_commit: { ...(base.head_commit as object), id: after, message: "Add a feature" },
    commits: [],
    ...extra,
  };
}

beforeAll(async () => {
  env = await startFlowEnv("ghflow");
  core = await import("@gantry/core");
  prisma = (await import("@gantry/db")).prisma;
  queue = await import("@gantry/queue");
  env.gh.addToken(TOKEN);
  env.gh.addRepo({
    owner: "acme",
    name: "acme17",
    gitDir: `${env.reposDir}/acme17.git`,
    defaultBranch: "main",
  });
  env.gh.addRepo({ owner: "acme", name: "readonly", access: "read", branches: [] });
  const admin = await core.createUserWithPassword({
    email: "admin@example.com",
    name: "Admin",
    password: "password-1",
    isAdmin: true,
  });
  adminId = admin.id;
  const project = await core.createProject(await actorOf(adminId), {
    name: "Acme",
    repository: "acme/acme17",
  });
  projectId = project.id;
  await serveRoute();
}, 60_000);

afterAll(async () => {
  server?.close();
  await queue?.closeDefaultQueueContext();
  await prisma?.().$disconnect();
  await env?.close();
});

describe("connecting a repository", () => {
  it("refuses credentials without admin access and changes nothing", async () => {
    const actor = await actorOf(adminId);
    const other = await core.createProject(actor, { name: "RO", repository: "acme/readonly" });
    await expect(
      core.connectGithub(await actorOf(adminId), other.id, { kind: "token", token: TOKEN }),
    ).rejects.toThrow(/admin access/);
    await expect(
      core.connectGithub(await actorOf(adminId), projectId, {
        kind: "token",
        token: "ghp_not_a_known_token",
      }),
    ).rejects.toMatchObject({ code: "invalid_input" });
    const row = await prisma().project.findUniqueOrThrow({ where: { id: other.id } });
    expect(row.githubAuthKind).toBeNull();
  });

  it("creates the webhook and a read-only deploy key, stores secrets encrypted, shows none", async () => {
    const connection = await core.connectGithub(await actorOf(adminId), projectId, {
      kind: "token",
      token: TOKEN,
    });
    const repo = env.gh.state.repos.get("acme/acme17")!;
    expect(repo.hooks).toHaveLength(1);
    expect(repo.hooks[0]!.config.url).toBe("http://127.0.0.1:3999/api/github/webhook");
    expect(repo.hooks[0]!.events).toEqual([
      "push",
      "delete",
      "pull_request",
      "check_suite",
      "check_run",
      "status",
    ]);
    expect(repo.keys).toHaveLength(1);
    expect(repo.keys[0]!.read_only).toBe(true);
    expect(connection).toMatchObject({
      connected: true,
      authKind: "token",
      webhook: { hookId: repo.hooks[0]!.id },
    });

    const row = await prisma().project.findUniqueOrThrow({ where: { id: projectId } });
    const stored = JSON.stringify(row, (_k, v) => (typeof v === "bigint" ? String(v) : v));
    expect(stored).not.toContain(TOKEN);
    expect(stored).not.toContain(repo.hooks[0]!.config.secret);
    expect(stored).not.toContain("BEGIN OPENSSH PRIVATE KEY");
    const shown = JSON.stringify(connection);
    expect(shown).not.toContain(TOKEN);
    expect(shown).not.toContain(repo.hooks[0]!.config.secret);
    expect(shown).not.toContain("PRIVATE");
    expect(await secret()).toBe(repo.hooks[0]!.config.secret);

    // Reconnecting is idempotent: same hook, same key.
    await core.connectGithub(await actorOf(adminId), projectId, { kind: "token", token: TOKEN });
    expect(repo.hooks).toHaveLength(1);
    expect(repo.keys).toHaveLength(1);
  });

  it("connects through a GitHub App installation with the configured app", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    env.gh.addApp({
      id: 5151,
      publicKey: publicKey.export({ type: "spki", format: "pem" }).toString(),
      installations: [88],
    });
    env.gh.addRepo({ owner: "acme", name: "via-app", branches: [{ name: "main", sha: "b".repeat(40) }] });
    const actor = await actorOf(adminId);
    const project = await core.createProject(actor, { name: "Via app", repository: "acme/via-app" });
    // Without an app configured, the choice is refused in words.
    await expect(core.connectGithub(actor, project.id, { kind: "app", installationId: 88 })).rejects.toThrow(
      /GITHUB_APP_ID/,
    );
    const pem = privateKey.export({ type: "pkcs1", format: "pem" }).toString();
    process.env.GITHUB_APP_ID = "5151";
    process.env.GITHUB_APP_PRIVATE_KEY = pem.replace(/\n/g, "\\n");
    resetConfigForTests();
    try {
      const connection = await core.connectGithub(actor, project.id, { kind: "app", installationId: 88 });
      expect(connection).toMatchObject({ connected: true, authKind: "app", installationId: 88 });
      expect(env.gh.state.repos.get("acme/via-app")!.hooks).toHaveLength(1);
      expect(
        env.gh.requests.some((r) => r.path === "/app/installations/88/access_tokens" && r.status === 201),
      ).toBe(true);
      expect(await core.syncBranches(actor, project.id)).toEqual({
        added: ["main"],
        updated: [],
        removed: [],
      });
    } finally {
      delete process.env.GITHUB_APP_ID;
      delete process.env.GITHUB_APP_PRIVATE_KEY;
      resetConfigForTests();
    }
  });

  it("verifies each part and says what is wrong", async () => {
    const actor = await actorOf(adminId);
    let report = await core.verifyGithub(actor, projectId);
    expect(report.repository.ok).toBe(true);
    expect(report.deployKey.ok).toBe(true);
    expect(report.webhook.problems.map((p) => p.code)).toEqual(["never_delivered"]);

    const repo = env.gh.state.repos.get("acme/acme17")!;
    env.gh.addDelivery(repo.hooks[0]!, { event: "push", statusCode: 401 });
    const key = repo.keys.pop()!;
    report = await core.verifyGithub(actor, projectId);
    expect(report.webhook.ok).toBe(false);
    expect(report.webhook.problems.map((p) => p.code)).toContain("last_delivery_failed");
    expect(report.deployKey).toMatchObject({ ok: false, problems: [{ code: "no_key" }] });
    repo.keys.push(key);
    env.gh.addDelivery(repo.hooks[0]!, { event: "push", statusCode: 200 });
    report = await core.verifyGithub(actor, projectId);
    expect(report.webhook.ok).toBe(true);
    expect(report.deployKey.ok).toBe(true);
  });
});

describe("branches from the repository", () => {
  it("syncs: the default branch becomes production, the others development", async () => {
    const report = await core.syncBranches(await actorOf(adminId), projectId);
    const heads = (
      await git(`${env.reposDir}/acme17.git`, "for-each-ref", "--format=%(refname:short)", "refs/heads")
    )
      .split("\n")
      .sort();
    expect(report.added.sort()).toEqual(heads);
    const branches = await prisma().branch.findMany({ where: { projectId } });
    expect(branches.find((b) => b.name === "main")?.stage).toBe("PRODUCTION");
    expect(branches.filter((b) => b.stage === "PRODUCTION")).toHaveLength(1);
    const again = await core.syncBranches(await actorOf(adminId), projectId);
    expect(again).toEqual({ added: [], updated: [], removed: [] });
  });
});

describe("webhook deliveries", () => {
  const sha = (n: number) => n.toString(16).padStart(40, "a");

  it("a push of a new branch creates it, a build row and its job, and a pending status", async () => {
    const delivery = webhookRequest(
      "push",
      pushPayload("refs/heads/feature-x", "0".repeat(40), sha(1)),
      await secret(),
    );
    const answer = await deliver(delivery);
    expect(answer).toEqual({ status: 200, body: { ok: true, outcome: "build_queued" } });
    const branch = await prisma().branch.findUniqueOrThrow({
      where: { projectId_name: { projectId, name: "feature-x" } },
    });
    expect(branch).toMatchObject({ stage: "DEVELOPMENT", lastSeenSha: sha(1), deletedAt: null });
    const builds = await prisma().build.findMany({ where: { branchId: branch.id } });
    expect(builds).toHaveLength(1);
    expect(builds[0]).toMatchObject({
      status: "QUEUED",
      stage: "DEVELOPMENT",
      commitSha: sha(1),
      trigger: "push",
    });
    const job = await queue.defaultQueueContext().queue("builds").getJob(`build-${builds[0]!.id}`);
    expect(job?.name).toBe("builds.run");
    expect(job?.data).toEqual({ buildId: builds[0]!.id });

    const repo = env.gh.state.repos.get("acme/acme17")!;
    const deadline = Date.now() + 10_000;
    while (!repo.statuses.some((s) => s.sha === sha(1)) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(repo.statuses.find((s) => s.sha === sha(1))).toMatchObject({
      state: "pending",
      context: "gantry/feature-x",
      target_url: `http://127.0.0.1:3999/projects/${projectId}/branches/${branch.id}?build=${builds[0]!.id}`,
    });

    // The same delivery again: 200 duplicate, nothing new.
    const replay = await deliver(delivery);
    expect(replay).toEqual({ status: 200, body: { ok: true, outcome: "duplicate" } });
    expect(await prisma().build.count({ where: { branchId: branch.id } })).toBe(1);
    expect(
      await prisma().webhookDelivery.count({ where: { deliveryId: delivery.headers["x-github-delivery"] } }),
    ).toBe(1);
  });

  it("new commits and a forced push build again; 'do nothing' does not", async () => {
    const s = await secret();
    expect(
      (await deliver(webhookRequest("push", pushPayload("refs/heads/feature-x", sha(1), sha(2)), s))).body
        .outcome,
    ).toBe("build_queued");
    const forced = pushPayload("refs/heads/feature-x", sha(2), sha(3), { forced: true });
    expect((await deliver(webhookRequest("push", forced, s))).body.outcome).toBe("build_queued");
    const branch = await prisma().branch.findUniqueOrThrow({
      where: { projectId_name: { projectId, name: "feature-x" } },
    });
    // Only the newest commit is built: the two older ones, still queued, gave way.
    const builds = await prisma().build.findMany({
      where: { branchId: branch.id },
      orderBy: { createdAt: "asc" },
    });
    expect(builds.map((b) => [b.commitSha, b.status])).toEqual([
      [sha(1), "CANCELLED"],
      [sha(2), "CANCELLED"],
      [sha(3), "QUEUED"],
    ]);
    expect(builds[0]!.errorSummary).toBe(
      `replaced by a newer push (${sha(2).slice(0, 7)}) before it started`,
    );
    expect(builds[1]!.errorSummary).toBe(
      `replaced by a newer push (${sha(3).slice(0, 7)}) before it started`,
    );
    // GitHub is told: the replaced commits' statuses end instead of staying pending.
    const repo = env.gh.state.repos.get("acme/acme17")!;
    const told = async (commit: string) => {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const last = repo.statuses.filter((st) => st.sha === commit).at(-1);
        if (last?.state === "error" || Date.now() > deadline) return last;
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    expect((await told(sha(2)))?.state).toBe("error");
    await core.updateBranchSettings(await actorOf(adminId), projectId, branch.id, {
      onNewCommit: "DO_NOTHING",
    });
    expect(
      (await deliver(webhookRequest("push", pushPayload("refs/heads/feature-x", sha(3), sha(4)), s))).body
        .outcome,
    ).toBe("no_build");
    // Nothing is built, so nothing gives way: the queued build of sha(3) stays.
    expect(await prisma().build.count({ where: { branchId: branch.id, status: "QUEUED" } })).toBe(1);
    expect(await prisma().build.count({ where: { branchId: branch.id } })).toBe(3);
    const deliveries = await core.listDeliveries(await actorOf(adminId), projectId);
    expect(deliveries[0]).toMatchObject({ event: "push", outcome: "no_build", ref: "feature-x" });
  });

  it("pushes delivered together or out of order: one branch, only the newest commit built", async () => {
    const s = await secret();
    const c = [sha(0x100), sha(0x101), sha(0x102), sha(0x103), sha(0x104)];
    const push = (from: string, to: string, extra: Record<string, unknown> = {}) =>
      webhookRequest("push", pushPayload("refs/heads/racing", from, to, extra), s);
    const builds = async () =>
      (
        await prisma().build.findMany({
          where: { branch: { projectId, name: "racing" } },
          orderBy: { createdAt: "asc" },
        })
      ).map((b) => [b.commitSha, b.status]);

    // A new branch's first two pushes arrive at once: one branch row, the older build gives way.
    const together = await Promise.all([deliver(push("0".repeat(40), c[1]!)), deliver(push(c[1]!, c[2]!))]);
    expect(together.map((a) => a.status)).toEqual([200, 200]);
    expect(await prisma().branch.count({ where: { projectId, name: "racing" } })).toBe(1);
    expect((await builds()).filter(([, status]) => status === "QUEUED")).toEqual([[c[2], "QUEUED"]]);

    // The fourth commit's push arrives before the third's: the late one builds nothing.
    expect((await deliver(push(c[3]!, c[4]!))).body.outcome).toBe("build_queued");
    expect((await deliver(push(c[2]!, c[3]!))).body.outcome).toBe("stale");
    const branch = await prisma().branch.findUniqueOrThrow({
      where: { projectId_name: { projectId, name: "racing" } },
    });
    expect(branch.lastSeenSha).toBe(c[4]);
    expect((await builds()).filter(([, status]) => status === "QUEUED")).toEqual([[c[4], "QUEUED"]]);
    expect((await builds()).some(([commit]) => commit === c[3])).toBe(false);

    // A forced push back onto a commit pushed over before is applied all the same.
    const rewind = await deliver(push(c[4]!, c[3]!, { forced: true }));
    expect(rewind.body.outcome).toBe("build_queued");
    expect((await builds()).filter(([, status]) => status === "QUEUED")).toEqual([[c[3], "QUEUED"]]);
  });

  it("pull_request opened and closed are recorded on the branch; ping answers pong", async () => {
    const s = await secret();
    // Previews have their own suite (builds/previews.test.ts): here only the label is looked at.
    await prisma().project.update({ where: { id: projectId }, data: { previewMode: "OFF" } });
    const base = webhookExample("pull_request", (p) => p.action === "opened");
    const pr = (action: string) => ({
      ...base,
      action,
      number: 7,
      repository: { ...(base.repository as object), full_name: "acme/acme17" },
      pull_request: {
        ...(base.pull_request as Record<string, unknown>),
        number: 7,
        html_url: "https://github.com/acme/acme17/pull/7",
        state: action === "closed" ? "closed" : "open",
        head: { ref: "feature-x", sha: sha(4), repo: { full_name: "acme/acme17" } },
        base: { ref: "main", sha: sha(9), repo: { full_name: "acme/acme17" } },
      },
    });
    expect((await deliver(webhookRequest("pull_request", pr("opened"), s))).body.outcome).toBe(
      "pull_request_recorded",
    );
    let branch = await prisma().branch.findUniqueOrThrow({
      where: { projectId_name: { projectId, name: "feature-x" } },
    });
    expect(branch.pullRequestNumber).toBe(7);
    expect((await deliver(webhookRequest("pull_request", pr("synchronize"), s))).status).toBe(200);
    expect((await deliver(webhookRequest("pull_request", pr("closed"), s))).body.outcome).toBe(
      "pull_request_recorded",
    );
    branch = await prisma().branch.findUniqueOrThrow({ where: { id: branch.id } });
    expect(branch.pullRequestNumber).toBeNull();
    const ping = { ...webhookExample("ping"), repository: { id: 1, full_name: "acme/acme17" } };
    expect((await deliver(webhookRequest("ping", ping, s))).body.outcome).toBe("pong");
  });

  it("a deleted branch has its waiting builds stopped", async () => {
    const s = await secret();
    await deliver(webhookRequest("push", pushPayload("refs/heads/doomed", "0".repeat(40), sha(5)), s));
    const base = webhookExample("delete");
    const del = {
      ...base,
      ref: "doomed",
      ref_type: "branch",
      repository: { ...(base.repository as object), full_name: "acme/acme17" },
    };
    expect((await deliver(webhookRequest("delete", del, s))).body.outcome).toBe("branch_deleted");
    const branch = await prisma().branch.findUniqueOrThrow({
      where: { projectId_name: { projectId, name: "doomed" } },
    });
    expect(branch.deletedAt).not.toBeNull();
    const builds = await prisma().build.findMany({ where: { branchId: branch.id } });
    expect(builds.map((b) => b.status)).toEqual(["CANCELLED"]);
  });

  it("refuses unsigned, wrongly signed and unknown-repository deliveries without a trace", async () => {
    const before = await prisma().webhookDelivery.count();
    const payload = pushPayload("refs/heads/evil", "0".repeat(40), sha(6));
    const wrong = webhookRequest("push", payload, "not-the-secret");
    expect((await deliver(wrong)).status).toBe(401);
    const unsigned = webhookRequest("push", payload, await secret());
    delete unsigned.headers["x-hub-signature-256"];
    expect((await deliver(unsigned)).status).toBe(401);
    const unknown = webhookRequest(
      "push",
      { ...payload, repository: { id: 1, full_name: "x/y" } },
      await secret(),
    );
    expect((await deliver(unknown)).status).toBe(404);
    expect(await prisma().webhookDelivery.count()).toBe(before);
    expect(await prisma().branch.count({ where: { name: "evil" } })).toBe(0);
  });
});

describe("commit statuses and deployments", () => {
  it("maps build results to states and opens a deployment for staging and production", async () => {
    const main = await prisma().branch.findUniqueOrThrow({
      where: { projectId_name: { projectId, name: "main" } },
    });
    const build = await core.enqueueBuild({
      projectId,
      branchId: main.id,
      stage: "PRODUCTION",
      commit: { sha: main.lastSeenSha!, message: "release" },
      trigger: "push",
    });
    expect(await core.reportBuildStatus(build.id)).toMatchObject({
      commitState: "pending",
      deployment: { state: "queued" },
    });
    await prisma().build.update({
      where: { id: build.id },
      data: { status: "DONE", result: "WARNING", url: "http://acme.localhost" },
    });
    const report = await core.reportBuildStatus(build.id);
    expect(report?.commitState).toBe("failure");
    const repo = env.gh.state.repos.get("acme/acme17")!;
    expect(repo.deployments).toHaveLength(1);
    expect(repo.deployments[0]).toMatchObject({ environment: "production", production_environment: true });
    expect(repo.deployments[0]!.statuses.map((s) => s.state)).toEqual(["queued", "success"]);
    expect(repo.deployments[0]!.statuses[1]!.environment_url).toBe("http://acme.localhost");
  });
});

describe("moves and merges", () => {
  it("drop onto another branch merges on GitHub; a conflict changes nothing", async () => {
    const actor = await actorOf(adminId);
    const branches = await prisma().branch.findMany({ where: { projectId, deletedAt: null } });
    const byName = (n: string) => branches.find((b) => b.name === n)!;
    const gitDir = `${env.reposDir}/acme17.git`;
    const dev = branches.find((b) => b.name !== "main" && b.name !== "feature-x" && b.lastSeenSha)!;
    const before = await git(gitDir, "rev-parse", "main");
    const merged = await core.mergeBranches(actor, projectId, dev.id, byName("main").id);
    expect(merged.result).toBe("merged");
    expect(await git(gitDir, "rev-parse", "main")).toBe(merged.sha);
    expect(await git(gitDir, "rev-parse", `${merged.sha}^1`)).toBe(before);
    const again = await core.mergeBranches(actor, projectId, dev.id, byName("main").id);
    expect(again.result).toBe("up_to_date");

    env.gh.state.repos.get("acme/acme17")!.mergeConflict = true;
    const head = await git(gitDir, "rev-parse", "main");
    await expect(core.mergeBranches(actor, projectId, dev.id, byName("main").id)).rejects.toMatchObject({
      code: "conflict",
    });
    expect(await git(gitDir, "rev-parse", "main")).toBe(head);
    env.gh.state.repos.get("acme/acme17")!.mergeConflict = false;
  });
});
