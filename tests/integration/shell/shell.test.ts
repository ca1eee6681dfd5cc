// The web shell end to end with the real services: a development build served by the stand-in
// Odoo (a real worker builds it), the worker's shell server on a free port, tickets issued by the
// API's use-case. A ticket works once, only for its build, from the dashboard's origin; a role
// without the Shell right gets none. In the shell: arithmetic, psql as the build's own role (and
// another build's database refused), Odoo's logs, odoo-restart; every session audited and kept
// in webshell.log; an idle session closed.
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import {
  type BuildTestEnv,
  DEV_CLUSTER,
  requireImage,
  shaOf,
  useBuildTestEnv,
  waitFor,
} from "../builds/support";
import { imageOf } from "../standin/helpers";

let env: BuildTestEnv;
let prisma: typeof import("@gantry/db").prisma;
let core: typeof import("@gantry/core");
let queue: typeof import("@gantry/queue");
let producer: import("@gantry/queue").QueueContext;
let worker: import("../../../apps/worker/src/start-worker").RunningWorker;
let runtime: import("@gantry/runtime").DockerRuntime;
let server: import("../../../apps/worker/src/shell/server").ShellServer;
let idleServer: import("../../../apps/worker/src/shell/server").ShellServer;
let projectId: string;
let buildId: string;
let productionId: string;
let admin: import("@gantry/core").Actor;
let user: import("@gantry/core").Actor;
const origin = "http://127.0.0.1:3000";
const otherDb = `gantry_b_shelltest${randomBytes(3).toString("hex")}`;
const otherRole = `${otherDb}_role`;

async function actor(role: "ADMIN" | "USER"): Promise<import("@gantry/core").Actor> {
  const row = await prisma().user.create({
    data: { email: `${role.toLowerCase()}-${randomBytes(4).toString("hex")}@example.com`, name: role },
  });
  return { userId: row.id, isAdmin: false, memberships: { [projectId]: role }, tokenProjectIds: null };
}

/** A terminal client: what the server sent (bytes as text, notices apart) and a way to type. */
interface Client {
  ws: WebSocket;
  screen(): string;
  states: { state: string; reason?: string }[];
  type(text: string): void;
  waitFor(pattern: RegExp, what: string): Promise<void>;
  closed: Promise<number>;
}

function connect(port: number, id: string, ticket: string, headers = { origin }): Promise<Client> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/builds/${id}/shell?ticket=${ticket}&cols=120&rows=40`, {
      headers,
    });
    let out = "";
    const states: Client["states"] = [];
    const closed = new Promise<number>((done) => ws.on("close", (code) => done(code)));
    ws.on("message", (data, binary) => {
      if (binary) out += (data as Buffer).toString("utf8");
      else states.push(JSON.parse(data.toString()) as { state: string });
    });
    ws.once("unexpected-response", (_req, res) => reject(new Error(`refused: ${res.statusCode}`)));
    ws.once("error", reject);
    ws.once("open", () =>
      resolve({
        ws,
        states,
        closed,
        screen: () => out,
        type: (text) => ws.send(JSON.stringify({ type: "input", data: text })),
        waitFor: (pattern, what) =>
          waitFor(what, async () => (pattern.test(out) ? true : undefined), 120_000).then(() => {}),
      }),
    );
  });
}

async function ticketFor(who: import("@gantry/core").Actor, id = buildId): Promise<string> {
  return (await core.issueShellTicket(who, id, producer)).ticket;
}

async function ready(client: Client): Promise<void> {
  await waitFor(
    "the shell to be ready",
    async () => (client.states.some((s) => s.state === "ready") ? true : undefined),
    120_000,
  );
  await client.waitFor(/\$ $/m, "the prompt");
}

beforeAll(async () => {
  await requireImage(imageOf("17.0"));
  env = await useBuildTestEnv();
  process.env.PUBLIC_URL = origin;
  (await import("@gantry/config")).resetConfigForTests();
  prisma = (await import("@gantry/db")).prisma;
  core = await import("@gantry/core");
  queue = await import("@gantry/queue");
  runtime = new (await import("@gantry/runtime")).DockerRuntime();
  producer = queue.createQueueContext({
    redisUrl: (await import("@gantry/config")).config().REDIS_URL,
    prefix: env.prefix,
  });
  const { startWorker } = await import("../../../apps/worker/src/start-worker");
  worker = await startWorker({
    prefix: env.prefix,
    queues: ["builds", "maintenance"],
    concurrency: 1,
    shutdownTimeoutMs: 5000,
  });
  const project = await prisma().project.create({
    data: {
      slug: `shell-${randomBytes(3).toString("hex")}`,
      name: "Shell",
      githubOwner: "acme",
      githubRepo: env.prefix,
      odooSeries: "17.0",
      gitUrl: join(env.repos, "acme17.git"),
    },
  });
  projectId = project.id;
  const branch = await prisma().branch.create({ data: { projectId, name: "main", stage: "DEVELOPMENT" } });
  const build = await prisma().build.create({
    data: {
      projectId,
      branchId: branch.id,
      stage: "DEVELOPMENT",
      commitSha: await shaOf(join(env.repos, "acme17.git"), "main"),
    },
  });
  buildId = build.id;
  await queue.enqueue("builds.run", { buildId }, { jobId: queue.buildJobId(buildId) }, producer);
  const prodBranch = await prisma().branch.create({ data: { projectId, name: "prod", stage: "PRODUCTION" } });
  productionId = (
    await prisma().build.create({
      data: { projectId, branchId: prodBranch.id, stage: "PRODUCTION", commitSha: "a".repeat(40) },
    })
  ).id;
  admin = await actor("ADMIN");
  user = await actor("USER");
  const { startShellServer } = await import("../../../apps/worker/src/shell/server");
  const logger = core.createLogger("test");
  server = await startShellServer({ host: "127.0.0.1", port: 0, runtime, queue: producer, logger });
  idleServer = await startShellServer({
    host: "127.0.0.1",
    port: 0,
    runtime,
    queue: producer,
    logger,
    idleMs: 1500,
  });
  // Another build's database, made the way builds make theirs.
  const pgAdmin = { ...DEV_CLUSTER, database: undefined };
  const postgres = await import("@gantry/postgres");
  await postgres.createRole(pgAdmin, otherRole, randomBytes(16).toString("hex"));
  await postgres.createDatabase(pgAdmin, otherDb, otherRole);
  const served = await waitFor(
    "the build to serve",
    async () => {
      const row = await prisma().build.findUniqueOrThrow({ where: { id: buildId } });
      return row.status === "DONE" || row.status === "CANCELLED" ? row : undefined;
    },
    400_000,
  );
  if (!served.servingAt) throw new Error(`the build ended unserved: ${served.errorSummary}`);
}, 600_000);

afterAll(async () => {
  await server?.close();
  await idleServer?.close();
  await worker?.stop();
  const { cleanupBuild } = await import("../../../apps/worker/src/builds/cleanup");
  if (buildId) await cleanupBuild(runtime, buildId).catch(() => {});
  const postgres = await import("@gantry/postgres");
  await postgres.dropDatabase(DEV_CLUSTER, otherDb).catch(() => {});
  await postgres.dropRole(DEV_CLUSTER, otherRole).catch(() => {});
  await producer?.close();
  await queue?.closeDefaultQueueContext();
  await prisma?.().$disconnect();
  await env?.db.drop();
}, 180_000);

describe("shell tickets", () => {
  it("refuses a forged ticket, a used one, one for another build, another origin, an expired one", async () => {
    await expect(connect(server.port, buildId, "x".repeat(43))).rejects.toThrow("refused: 401");

    const ticket = await ticketFor(admin);
    await expect(connect(server.port, buildId, ticket, { origin: "http://evil.example" })).rejects.toThrow(
      "refused: 403",
    );
    // The refused origin did not spend it; the first socket does.
    const first = await connect(server.port, buildId, ticket);
    await ready(first);
    first.ws.close();
    await first.closed;
    await expect(connect(server.port, buildId, ticket)).rejects.toThrow("refused: 401");

    await expect(connect(server.port, productionId, await ticketFor(admin))).rejects.toThrow("refused: 401");

    const expiring = await core.issueShellTicket(admin, buildId, producer, 1);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await expect(connect(server.port, buildId, expiring.ticket)).rejects.toThrow("refused: 401");
  });

  it("gives no ticket to a role without the Shell right, nor for a build that does not serve", async () => {
    await expect(ticketFor(user, productionId)).rejects.toMatchObject({ code: "forbidden" });
    await expect(ticketFor(admin, productionId)).rejects.toMatchObject({ code: "conflict" });
    expect(await ticketFor(user)).toMatch(/^[A-Za-z0-9_-]{40,}$/);
  });
});

describe("a shell session", () => {
  it("runs commands, psql as the build's role only, the helpers; audited and logged", async () => {
    const client = await connect(server.port, buildId, await ticketFor(user));
    await ready(client);
    client.type("echo $((6*7))\r");
    await client.waitFor(/^42\r?$/m, "42");

    const build = await prisma().build.findUniqueOrThrow({ where: { id: buildId } });
    client.type("psql -XAt -c 'select 1' -c 'select current_user' -c 'select current_database()'\r");
    await client.waitFor(
      new RegExp(`^1\\r?\\n${build.databaseRole}\\r?\\n${build.databaseName}\\r?$`, "m"),
      "psql",
    );
    client.type(`psql -X -c '\\c ${otherDb}'; echo "exit=$?"\r`);
    await client.waitFor(/exit=\d+/, "the refused \\c");
    expect(client.screen()).toMatch(/permission denied for database/);
    expect(client.screen()).toMatch(/exit=[12]/);

    client.type("odoo-logs 5 | grep -c . ; type odoo-update odoo-shell >/dev/null && echo helpers-ok\r");
    await client.waitFor(/helpers-ok/, "the helpers");
    expect(client.screen()).toMatch(/^[1-5]\r?$/m);

    client.type("odoo-restart\r");
    await waitFor(
      "the restart",
      async () => (client.states.some((s) => s.state === "restarting") ? true : undefined),
      60_000,
    );
    await waitFor(
      "a new shell after the restart",
      async () => (client.states.filter((s) => s.state === "ready").length >= 2 ? true : undefined),
      180_000,
    );
    client.type("echo after-$((40+2))\r");
    await client.waitFor(/^after-42\r?$/m, "the shell after the restart");

    client.ws.close();
    await client.closed;
    const row = await waitFor(
      "the session's end",
      async () => {
        const sessions = await prisma().shellSession.findMany({ where: { buildId, userId: user.userId } });
        return sessions.find((s) => s.endedAt);
      },
      30_000,
    );
    expect(row).toMatchObject({ role: "USER", via: "web", endReason: "closed", projectId });
    expect(row.bytesIn).toBeGreaterThan(0);
    expect(row.bytesOut).toBeGreaterThan(0);
    const audit = await prisma().auditEvent.findMany({
      where: { action: "shell.opened", userId: user.userId },
    });
    expect(audit.map((a) => a.target)).toEqual([buildId]);

    const log = await readFile(join(env.dataDir, "builds", buildId, "logs", "webshell.log"), "utf8");
    const mine = log.split("\n").filter((line) => line.includes(` ${row.id} `));
    expect(mine[0]).toMatch(/ start ".*@example\.com \(USER\) via web"$/);
    // Each direction's records, put back together, are what was typed and what was shown.
    const stream = (kind: string) =>
      mine
        .map((line) => / (in|out) (".*")$/.exec(line))
        .filter((m) => m?.[1] === kind)
        .map((m) => JSON.parse(m?.[2] as string) as string)
        .join("");
    expect(stream("in")).toContain("echo $((6*7))\r");
    expect(stream("out")).toMatch(/^42\r?$/m);
    expect(stream("out")).toContain("after-42");
    expect(mine.at(-1)).toMatch(/ end "closed in:\d+ out:\d+"$/);
  }, 300_000);

  it("closes a session nobody types in", async () => {
    const client = await connect(idleServer.port, buildId, await ticketFor(admin));
    await ready(client);
    await client.closed;
    expect(client.states.at(-1)).toMatchObject({ state: "closed", reason: "idle" });
    const row = await prisma().shellSession.findFirstOrThrow({
      where: { userId: admin.userId, endReason: "idle" },
    });
    expect(row.endedAt).not.toBeNull();
  }, 120_000);
});
