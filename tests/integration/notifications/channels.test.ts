// Notifications end to end: channels made through their real route handlers, an event raised
// with notifyProject, and a real worker on the notifications queue sending it to local
// receivers: an HTTP server for Slack, Teams and the generic webhook (its signature checked),
// an SMTP server for mail. A receiver that fails once is tried again, and both attempts are
// in the delivery log.
import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScratchDatabase } from "../../support/databases";
import { type HttpReceiver, startHttpReceiver } from "../../support/http-receiver";
import { readable, type SmtpSink, startSmtpSink } from "../../support/smtp-sink";
import { waitFor } from "../builds/support";
import { dashboard, type Person, signedInPerson, usePrivateQueues, useWebDatabase } from "../web/signed-in";

const SECRET = "a-receiver-secret-0123456789";
let db: ScratchDatabase;
let prisma: typeof import("@gantry/db").prisma;
let core: typeof import("@gantry/core");
let channelsRoute: typeof import("../../../apps/web/app/api/v1/projects/[projectId]/notifications/channels/route");
let testRoute: typeof import("../../../apps/web/app/api/v1/projects/[projectId]/notifications/channels/[channelId]/test/route");
let receiver: HttpReceiver;
let smtp: SmtpSink;
let worker: import("../../../apps/worker/src/start-worker").RunningWorker;
let projectId: string;
let buildId: string;
const people = new Map<string, Person>();
const channelIds = new Map<string, string>();

/** The receiver's own check, as GitHub documents it: HMAC-SHA256 of the raw body, hex. */
function signedBy(secret: string, request: { body: Buffer; headers: Record<string, unknown> }): boolean {
  const expected = `sha256=${createHmac("sha256", secret).update(request.body).digest("hex")}`;
  return request.headers["x-gantry-signature-256"] === expected;
}

beforeAll(async () => {
  db = await useWebDatabase();
  usePrivateQueues();
  smtp = await startSmtpSink();
  process.env.SMTP_URL = smtp.url;
  (await import("@gantry/config")).resetConfigForTests();
  receiver = await startHttpReceiver();
  prisma = (await import("@gantry/db")).prisma;
  core = await import("@gantry/core");
  channelsRoute = await import(
    "../../../apps/web/app/api/v1/projects/[projectId]/notifications/channels/route"
  );
  testRoute = await import(
    "../../../apps/web/app/api/v1/projects/[projectId]/notifications/channels/[channelId]/test/route"
  );
  projectId = (
    await prisma().project.create({
      data: { slug: "ntf", name: "Notify <Co>", githubOwner: "acme", githubRepo: "ntf", odooSeries: "17.0" },
    })
  ).id;
  for (const role of ["ADMIN", "DEVELOPER"] as const) {
    const person = await signedInPerson(`ntf-${role}`);
    await prisma().collaborator.create({ data: { projectId, userId: person.id, role } });
    people.set(role, person);
  }
  const branch = await prisma().branch.create({ data: { projectId, name: "main", stage: "PRODUCTION" } });
  buildId = (
    await prisma().build.create({
      data: {
        projectId,
        branchId: branch.id,
        stage: "PRODUCTION",
        commitSha: "c".repeat(40),
        commitMessage: "Fix <!channel> things",
        status: "DONE",
        result: "FAILED",
        errorSummary: "ERROR: module acme_sale failed\nTraceback ...",
        finishedAt: new Date(),
      },
    })
  ).id;
  const { startWorker } = await import("../../../apps/worker/src/start-worker");
  const { config } = await import("@gantry/config");
  worker = await startWorker({
    prefix: config().REDIS_PREFIX,
    queues: ["notifications"],
    shutdownTimeoutMs: 5000,
  });
}, 60_000);

afterAll(async () => {
  await worker?.stop();
  const queue = await import("@gantry/queue");
  await queue
    .defaultQueueContext()
    .queue("notifications")
    .obliterate({ force: true })
    .catch(() => {});
  await queue.closeDefaultQueueContext();
  await receiver?.close();
  await smtp?.close();
  delete process.env.SMTP_URL;
  await prisma().$disconnect();
  await db.drop();
});

function call(
  route: { GET?: unknown; POST?: unknown },
  method: "GET" | "POST",
  path: string,
  role: string,
  params: Record<string, string>,
  body?: unknown,
) {
  const request = new Request(`${dashboard}${path}`, {
    method,
    headers: {
      cookie: people.get(role)!.cookie,
      origin: dashboard,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const handler = route[method] as (r: Request, c: unknown) => Promise<Response>;
  return handler(request, { params: Promise.resolve(params) });
}

const channelsPath = () => `/api/v1/projects/${projectId}/notifications/channels`;

async function addChannel(body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const response = await call(channelsRoute, "POST", channelsPath(), "ADMIN", { projectId }, body);
  expect(response.status).toBe(201);
  const created = (await response.json()) as Record<string, unknown>;
  channelIds.set(String(body.name), String(created.id));
  return created;
}

function deliveriesOf(channel: string) {
  return prisma().notificationDelivery.findMany({
    where: { channelId: channelIds.get(channel) },
    include: { attemptLog: { orderBy: { attempt: "asc" } } },
    orderBy: { createdAt: "asc" },
  });
}

describe("notification channels", () => {
  it("are the Admins' (a Developer is refused); a project starts with mail to its Admins", async () => {
    const refused = await call(channelsRoute, "GET", channelsPath(), "DEVELOPER", { projectId });
    expect(refused.status).toBe(403);
    const listed = await call(channelsRoute, "GET", channelsPath(), "ADMIN", { projectId });
    expect(listed.status).toBe(200);
    const { channels } = (await listed.json()) as {
      channels: { name: string; kind: string; events: string[] }[];
    };
    expect(channels).toHaveLength(1);
    expect(channels[0]).toMatchObject({ name: "Project Admins", kind: "MAIL" });
    expect(channels[0]?.events).toContain("upgrade.ended");
  });

  it("keep webhook URLs and secrets encrypted and never answer them", async () => {
    const slackUrl = receiver.url("/slack/T000/B000/tokenSLACKtoken");
    const created = await addChannel({
      kind: "SLACK",
      name: "slack",
      url: slackUrl,
      events: ["build.failed.production"],
    });
    await addChannel({
      kind: "TEAMS",
      name: "teams",
      url: receiver.url("/teams/tokenTEAMS"),
      events: ["build.failed.production"],
    });
    const hook = await addChannel({
      kind: "WEBHOOK",
      name: "hook",
      url: receiver.url("/hook"),
      secret: SECRET,
      events: ["build.failed.production", "backup.failed"],
    });
    await addChannel({
      kind: "MAIL",
      name: "mail",
      recipients: ["ops@example.com"],
      events: ["build.failed.production"],
    });
    expect(hook.secret).toBeUndefined(); // given, so not echoed
    expect(JSON.stringify(created)).not.toContain("tokenSLACKtoken");
    expect(created.targetHint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/…oken$/);
    const listed = await call(channelsRoute, "GET", channelsPath(), "ADMIN", { projectId });
    const text = await listed.text();
    expect(text).not.toContain("tokenSLACKtoken");
    expect(text).not.toContain("tokenTEAMS");
    expect(text).not.toContain(SECRET);
    const row = await prisma().notificationChannel.findUniqueOrThrow({ where: { id: String(hook.id) } });
    expect(row.targetEnc).not.toContain("/hook");
    expect(row.secretEnc).not.toContain(SECRET);
    const audited = await prisma().auditEvent.findMany({
      where: { projectId, action: "notification.channel_created" },
    });
    expect(audited).toHaveLength(4);
    expect(JSON.stringify(audited)).not.toContain("token");
  });

  it("deliver a build failure to every channel that wants it, each in its own form", async () => {
    const { deliveryIds } = await core.notifyProject(projectId, { type: "build.failed", buildId });
    // slack, teams, hook, mail and the default Admins' mail (build failed on production is on).
    expect(deliveryIds).toHaveLength(5);
    for (const id of deliveryIds)
      await waitFor(
        `delivery ${id}`,
        async () => {
          const d = await prisma().notificationDelivery.findUniqueOrThrow({ where: { id } });
          return d.status === "DELIVERED" ? d : undefined;
        },
        30_000,
      );

    const hook = receiver.requests.find((r) => r.path === "/hook");
    expect(hook).toBeDefined();
    expect(hook!.headers["x-gantry-event"]).toBe("build.failed");
    const deliveryId = String(hook!.headers["x-gantry-delivery"]);
    expect(deliveryIds).toContain(deliveryId);
    expect(signedBy(SECRET, hook!)).toBe(true);
    expect(signedBy("another-secret-of-length", hook!)).toBe(false);
    const payload = JSON.parse(hook!.body.toString("utf8"));
    expect(payload).toMatchObject({
      delivery: deliveryId,
      event: "build.failed",
      url: `${dashboard}/projects/${projectId}/builds/${buildId}`,
      data: { projectId, buildId, stage: "production", branch: "main" },
    });

    const slack = receiver.requests.find((r) => r.path.startsWith("/slack/"));
    const slackText = slack!.body.toString("utf8");
    expect(slackText).toContain("Build failed: Notify &lt;Co&gt; / main (production)");
    expect(slackText).toContain("Fix &lt;!channel&gt; things");
    expect(slackText).not.toContain("<!channel>");
    expect(slackText).toContain("Error: ERROR: module acme_sale failed");
    const teams = JSON.parse(
      receiver.requests.find((r) => r.path.startsWith("/teams/"))!.body.toString("utf8"),
    );
    expect(teams.attachments[0].contentType).toBe("application/vnd.microsoft.card.adaptive");
    expect(JSON.stringify(teams)).toContain("Notify &lt;Co&gt;");

    const mails = smtp.mails.map((m) => ({ to: m.to, text: readable(m.raw) }));
    const ops = mails.find((m) => m.to.includes("ops@example.com"));
    expect(ops?.text).toContain("Subject: [Gantry] Build failed: Notify <Co> / main (production)");
    expect(ops?.text).toContain(`/projects/${projectId}/builds/${buildId}`);
    expect(mails.some((m) => m.to.includes(people.get("ADMIN")!.email))).toBe(true);

    const slackDelivery = (await deliveriesOf("slack"))[0];
    expect(slackDelivery?.attemptLog.map((a) => [a.ok, a.httpStatus])).toEqual([[true, 200]]);
    const mailDelivery = (await deliveriesOf("mail"))[0];
    expect(mailDelivery?.attemptLog[0]?.smtpAnswer).toMatch(/^250/);
    // Nothing of a channel's secrets is in any delivery's record.
    const all = JSON.stringify(
      await prisma().notificationDelivery.findMany({ include: { attemptLog: true } }),
    );
    expect(all).not.toContain("tokenSLACKtoken");
    expect(all).not.toContain(SECRET);
  }, 60_000);

  it("retry a failing webhook with backoff and keep both attempts", async () => {
    await addChannel({
      kind: "WEBHOOK",
      name: "flaky",
      url: receiver.url("/flaky"),
      secret: SECRET,
      events: ["build.failed.production"],
    });
    receiver.answer("/flaky", [500, 200]);
    await core.notifyProject(projectId, { type: "build.failed", buildId });
    const delivery = await waitFor(
      "the flaky webhook's delivery",
      async () => {
        const [d] = await deliveriesOf("flaky");
        return d?.status === "DELIVERED" ? d : undefined;
      },
      60_000,
    );
    expect(delivery.attempts).toBe(2);
    expect(delivery.attemptLog.map((a) => [a.attempt, a.ok, a.httpStatus, a.error])).toEqual([
      [1, false, 500, "HTTP 500"],
      [2, true, 200, null],
    ]);
    const received = receiver.requests.filter((r) => r.path === "/flaky");
    expect(received).toHaveLength(2);
    // The same delivery, signed the same way each time.
    expect(new Set(received.map((r) => r.headers["x-gantry-delivery"])).size).toBe(1);
    for (const r of received) expect(signedBy(SECRET, r)).toBe(true);
  }, 90_000);

  it("send test delivers now and answers the outcome; a refusing receiver is shown failed", async () => {
    const hookId = channelIds.get("hook")!;
    const path = `${channelsPath()}/${hookId}/test`;
    const ok = await call(testRoute, "POST", path, "ADMIN", { projectId, channelId: hookId });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ event: "test", status: "DELIVERED", attempts: 1 });
    receiver.answer("/hook", [404]);
    const refused = await call(testRoute, "POST", path, "ADMIN", { projectId, channelId: hookId });
    expect(await refused.json()).toMatchObject({ status: "FAILED", lastError: "HTTP 404" });
    const developer = await call(testRoute, "POST", path, "DEVELOPER", { projectId, channelId: hookId });
    expect(developer.status).toBe(403);
  });
});
