// Deploy gates against the GitHub stand-in, without a worker: signed deliveries (push,
// check_run, status) through core's webhook handler, the gate looked at as the maintenance job
// does (one build, or all of them for the periodic look) with the time injected, the builds'
// jobs read back from Redis. A real build after the gates open: builds/deploy-gates.test.ts.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StandinRepo } from "../../support/github-standin";
import { pushPayload, webhookExample, webhookRequest } from "../../support/github-standin";
import { actorOf, type FlowEnv, startFlowEnv } from "./setup";

let env: FlowEnv;
let core: typeof import("@gantry/core");
let prisma: typeof import("@gantry/db").prisma;
let queue: typeof import("@gantry/queue");
let repo: StandinRepo;
let adminId: string;
let userId: string;
let projectId: string;
let productionId: string;
let stagingId: string;
let secret: string;
const REPOSITORY = "acme/gated";
const ZERO = "0".repeat(40);

const sha = () => randomBytes(20).toString("hex");

async function deliver(event: string, payload: Record<string, unknown>) {
  const delivery = webhookRequest(event, payload, secret);
  return core.handleWebhook(delivery.body, delivery.headers);
}

async function push(branch: string, after: string) {
  const answer = await deliver("push", pushPayload(REPOSITORY, branch, ZERO, after));
  expect(answer.status).toBe(200);
  return answer;
}

function checkRunEvent(headSha: string, name: string) {
  const base = webhookExample("check_run");
  return {
    ...base,
    action: "completed",
    check_run: { ...(base.check_run as object), head_sha: headSha, name },
    repository: { ...(base.repository as object), full_name: REPOSITORY },
  };
}

async function buildOf(commitSha: string) {
  return prisma().build.findFirstOrThrow({
    where: { projectId, commitSha },
    orderBy: { createdAt: "desc" },
    include: { gate: true },
  });
}

async function runJobOf(buildId: string) {
  return queue.defaultQueueContext().queue("builds").getJob(queue.buildJobId(buildId));
}

async function gateLooksQueued(buildId: string): Promise<number> {
  const jobs = await queue
    .defaultQueueContext()
    .queue("maintenance")
    .getJobs(["waiting", "delayed", "prioritized"]);
  return jobs.filter((j) => j.name === "maintenance.deploy-gates" && j.data.buildId === buildId).length;
}

beforeAll(async () => {
  env = await startFlowEnv("gates");
  core = await import("@gantry/core");
  prisma = (await import("@gantry/db")).prisma;
  queue = await import("@gantry/queue");
  repo = env.gh.addRepo({ owner: "acme", name: "gated", branches: [] });
  const admin = await core.createUserWithPassword({
    email: "admin@gates.example",
    name: "Admin",
    password: "password-1",
    isAdmin: true,
  });
  adminId = admin.id;
  const project = await core.createProject(await actorOf(adminId), { name: "Gated", repository: REPOSITORY });
  projectId = project.id;
  await core.connectGithub(await actorOf(adminId), projectId, { kind: "token", token: env.gh.token });
  secret = repo.hooks[0]!.config.secret!;
  const user = await core.createUserWithPassword({
    email: "user@gates.example",
    name: "User",
    password: "password-1",
    isAdmin: false,
  });
  userId = user.id;
  await prisma().collaborator.create({ data: { projectId, userId, role: "USER" } });
  productionId = (
    await prisma().branch.create({
      data: { projectId, name: "main", stage: "PRODUCTION", onNewCommit: "UPDATE_PREVIOUS" },
    })
  ).id;
  stagingId = (
    await prisma().branch.create({
      data: { projectId, name: "stage", stage: "STAGING", onNewCommit: "NEW_BUILD" },
    })
  ).id;
}, 60_000);

afterAll(async () => {
  await queue?.closeDefaultQueueContext();
  await prisma?.().$disconnect();
  await env?.close();
});

describe("deploy gates", () => {
  it("subscribes the webhook to the check events", () => {
    expect(repo.hooks[0]!.events).toEqual(expect.arrayContaining(["check_run", "check_suite", "status"]));
  });

  it("refuses gates on development branches and unknown time zones", async () => {
    const actor = await actorOf(adminId);
    const dev = await prisma().branch.create({ data: { projectId, name: "dev", stage: "DEVELOPMENT" } });
    await expect(
      core.updateBranchSettings(actor, projectId, dev.id, { gateChecks: "ALL" }),
    ).rejects.toMatchObject({
      code: "invalid_input",
    });
    await expect(
      core.renameProject(actor, projectId, { timeZone: "Mars/Olympus_Mons" }),
    ).rejects.toMatchObject({
      code: "invalid_input",
      message: expect.stringContaining("IANA time zone"),
    });
    await expect(
      core.updateBranchSettings(actor, projectId, productionId, { gateChecks: "NAMED", gateCheckNames: [] }),
    ).rejects.toMatchObject({ code: "invalid_input", message: expect.stringMatching(/at least one name/) });
  });

  it("a production push waits for a pending check, then goes on when it passes (check_run event)", async () => {
    const actor = await actorOf(adminId);
    const settings = await core.updateBranchSettings(actor, projectId, productionId, {
      gateChecks: "NAMED",
      gateCheckNames: ["ci/tests"],
    });
    expect(settings).toMatchObject({ gateChecks: "NAMED", gateCheckNames: ["ci/tests"], deployWindow: null });

    const commit = sha();
    env.gh.addCheckRun(repo, { sha: commit, name: "ci/tests", status: "in_progress" });
    const answer = await push("main", commit);
    expect(answer.body.outcome).toBe("build_waiting");
    const build = await buildOf(commit);
    expect(build.status).toBe("WAITING");
    expect(await runJobOf(build.id)).toBeUndefined();
    expect(await gateLooksQueued(build.id)).toBe(1);

    // Gantry's own "pending" on the commit is not a check to wait for.
    await core.reportBuildStatus(build.id);
    expect(repo.statuses.some((s) => s.sha === commit && s.context === "gantry/main")).toBe(true);

    expect(await core.evaluateGate(build.id)).toBe("waiting");
    const seen = await core.getBuild(actor, build.id);
    expect(seen.status).toBe("WAITING");
    expect(seen.gate).toMatchObject({
      waitingChecks: true,
      waitingWindow: false,
      checks: [{ name: "ci/tests", kind: "check_run", state: "pending", detail: "in_progress" }],
      releasedAt: null,
    });
    const history = await core.branchHistory(actor, projectId, productionId);
    expect(history.builds[0]).toMatchObject({
      id: build.id,
      status: "WAITING",
      gate: { waitingChecks: true },
    });

    // CI finishes: the stand-in's state changes and GitHub tells Gantry.
    env.gh.addCheckRun(repo, { sha: commit, name: "ci/tests", conclusion: "success" });
    const event = await deliver("check_run", checkRunEvent(commit, "ci/tests"));
    expect(event.body.outcome).toBe("gate_look_queued");
    expect(await gateLooksQueued(build.id)).toBe(2);
    // What the queued look does.
    expect(await core.evaluateGate(build.id)).toBe("released");

    const released = await buildOf(commit);
    expect(released.status).toBe("QUEUED");
    expect(released.gate).toMatchObject({
      releasedAt: expect.any(Date),
      releasedBy: null,
      releaseNote: "the checks passed",
    });
    expect(await runJobOf(build.id)).toBeDefined();
    const statuses = repo.statuses.filter((s) => s.sha === commit && s.context === "gantry/main");
    expect(statuses.at(-1)!.description).toBe("Build queued");
  });

  it("a failed required status fails the waiting build, naming it", async () => {
    const actor = await actorOf(adminId);
    await core.updateBranchSettings(actor, projectId, stagingId, { gateChecks: "ALL" });
    const commit = sha();
    env.gh.addCheckRun(repo, { sha: commit, name: "ci/tests", status: "queued" });
    await push("stage", commit);
    const build = await buildOf(commit);
    expect(build.status).toBe("WAITING");
    expect(await core.evaluateGate(build.id)).toBe("waiting");

    repo.statuses.push({
      id: env.gh.state.nextId(),
      sha: commit,
      state: "failure",
      target_url: null,
      description: "lint failed",
      context: "ci/lint",
      created_at: new Date().toISOString(),
    });
    const event = await deliver("status", {
      ...webhookExample("status"),
      sha: commit,
      context: "ci/lint",
      state: "failure",
      repository: { ...(webhookExample("status").repository as object), full_name: REPOSITORY },
    });
    expect(event.body.outcome).toBe("gate_look_queued");
    expect(await core.evaluateGate(build.id)).toBe("failed");
    const failed = await buildOf(commit);
    expect(failed).toMatchObject({ status: "DONE", result: "FAILED" });
    expect(failed.errorSummary).toMatch(/required check failed: ci\/lint/);
    expect(await runJobOf(build.id)).toBeUndefined();
  });

  it("a push outside the deploy window waits until it opens (time injected), released by the periodic look", async () => {
    const actor = await actorOf(adminId);
    await core.renameProject(actor, projectId, { timeZone: "Europe/Brussels" });
    // Saturday 22:00 to Sunday 06:00, Brussels time, no checks.
    const settings = await core.updateBranchSettings(actor, projectId, productionId, {
      gateChecks: "NONE",
      deployWindow: { days: [6], startHour: 22, endHour: 6 },
    });
    expect(settings).toMatchObject({
      gateChecks: "NONE",
      gateCheckNames: [],
      deployWindow: { days: [6], startHour: 22, endHour: 6 },
      timeZone: "Europe/Brussels",
    });
    const commit = sha();
    await push("main", commit);
    const build = await buildOf(commit);

    // Wednesday noon: closed; the window opens Saturday 22:00 CET (21:00 UTC).
    const wednesday = new Date("2026-03-25T12:00:00Z");
    expect(await core.evaluateGate(build.id, { now: wednesday })).toBe("waiting");
    const waiting = await core.getBuild(actor, build.id);
    expect(waiting.gate).toMatchObject({
      waitingChecks: false,
      waitingWindow: true,
      windowOpensAt: new Date("2026-03-28T21:00:00Z"),
    });
    expect(
      await core.evaluateWaitingBuilds({ now: new Date("2026-03-28T20:59:00Z") }).then((r) => r.released),
    ).not.toContain(build.id);

    const look = await core.evaluateWaitingBuilds({ now: new Date("2026-03-28T21:00:00Z") });
    expect(look.released).toContain(build.id);
    expect(await buildOf(commit)).toMatchObject({
      status: "QUEUED",
      gate: { releaseNote: "the deploy window opened" },
    });
    expect(await runJobOf(build.id)).toBeDefined();
  });

  it("a newer push replaces the waiting one, which says so", async () => {
    const first = sha();
    const second = sha();
    await push("main", first);
    const older = await buildOf(first);
    expect(older.status).toBe("WAITING");
    const answer = await push("main", second);
    expect(answer.alsoReport).toEqual([older.id]);
    const replaced = await buildOf(first);
    expect(replaced.status).toBe("CANCELLED");
    expect(replaced.errorSummary).toContain(`replaced by a newer push (${second.slice(0, 7)})`);
    expect((await buildOf(second)).status).toBe("WAITING");
  });

  it("lets only those with the stage's deploy right change its gates; other settings stay open", async () => {
    const user = await actorOf(userId);
    await expect(
      core.updateBranchSettings(user, projectId, productionId, { gateChecks: "NONE" }),
    ).rejects.toMatchObject({ code: "forbidden" });
    await expect(
      core.updateBranchSettings(user, projectId, productionId, {
        deployWindow: { days: [1, 2, 3, 4, 5, 6, 7], startHour: 0, endHour: 24 },
      }),
    ).rejects.toMatchObject({ code: "forbidden" });
    expect(
      (await core.updateBranchSettings(user, projectId, productionId, { testTags: null })).testTags,
    ).toBeNull();
  });

  it("deploy now: refused to a User on production, releases at once for an Admin, audited", async () => {
    const commit = sha();
    await push("main", commit);
    const build = await buildOf(commit);
    expect(await core.evaluateGate(build.id, { now: new Date("2026-03-25T12:00:00Z") })).toBe("waiting");

    await expect(core.deployNow(await actorOf(userId), build.id)).rejects.toMatchObject({
      code: "forbidden",
    });
    expect((await buildOf(commit)).status).toBe("WAITING");

    expect(await core.deployNow(await actorOf(adminId), build.id, "203.0.113.9")).toEqual({
      id: build.id,
      status: "QUEUED",
    });
    expect(await buildOf(commit)).toMatchObject({
      status: "QUEUED",
      gate: { releasedBy: adminId, releaseNote: "deploy now" },
    });
    expect(await runJobOf(build.id)).toBeDefined();
    const audit = await prisma().auditEvent.findFirstOrThrow({
      where: { action: "build.deploy_now", target: build.id },
    });
    expect(audit).toMatchObject({
      userId: adminId,
      ip: "203.0.113.9",
      data: { waitingFor: ["deploy window"] },
    });

    await expect(core.deployNow(await actorOf(adminId), build.id)).rejects.toMatchObject({
      code: "conflict",
    });
  });

  it("gates turned off release the waiting build at the next look", async () => {
    const actor = await actorOf(adminId);
    const commit = sha();
    await push("main", commit);
    const build = await buildOf(commit);
    await core.updateBranchSettings(actor, projectId, productionId, { deployWindow: null });
    expect(await core.evaluateGate(build.id, { now: new Date("2026-03-25T12:00:00Z") })).toBe("released");
    // Without gates, a push is queued at once.
    const next = sha();
    expect((await push("main", next)).body.outcome).toBe("build_queued");
    expect((await buildOf(next)).status).toBe("QUEUED");
  });
});
