// Gantry's own PostgreSQL (a private cluster holding Gantry's migrated database) stopped for a
// few seconds and started again while the API is asked and the worker takes jobs that read the
// database. Meanwhile the API must answer 503 `unavailable` with a message (never a 500); after
// it, the same API and the same worker process serve again by themselves; no job is lost.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { waitFor } from "../../tests/integration/builds/support";
import { dropPrefix } from "../../tests/integration/queue/support";
import { startWorkerProcess, type WorkerProcess } from "../../tests/integration/worker/worker-process";
import { startApiServer } from "../../tests/support/api-server";
import { PrivateCluster } from "../../tests/support/private-cluster";
import { useGantryDatabase } from "./lib/database";
import { lostJobs } from "./lib/jobs-ended";
import { check, type Tally } from "./lib/tally";

const root = resolve(import.meta.dirname, "../..");
const OUTAGE_MS = 6000;
const JOBS_BEFORE = 10;
const JOBS_DURING = 20;

async function createDatabase(cluster: PrivateCluster, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: cluster.url() });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
}

/** Points this process at the private cluster's Gantry database, migrated. */
async function gantryDatabaseOn(cluster: PrivateCluster): Promise<string> {
  await createDatabase(cluster, "gantry");
  const url = cluster.url("gantry");
  await promisify(execFile)(join(root, "scripts/db"), ["migrate"], {
    env: { ...process.env, DATABASE_URL: url },
  });
  await useGantryDatabase(url);
  return url;
}

interface Answer {
  status: number;
  code?: string;
  message?: string;
}

async function ask(url: string, token: string): Promise<Answer> {
  try {
    const response = await fetch(`${url}/api/v1/projects`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await response.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
    return { status: response.status, code: body.error?.code, message: body.error?.message };
  } catch (error) {
    return { status: 0, message: (error as Error).message };
  }
}

export async function postgresRestartTrial(tally: Tally): Promise<void> {
  const cluster = await PrivateCluster.create();
  const dataDir = await mkdtemp(join(tmpdir(), "gantry-fault-pg-"));
  const prefix = `fault-${randomBytes(4).toString("hex")}`;
  let api: Awaited<ReturnType<typeof startApiServer>> | undefined;
  let worker: WorkerProcess | undefined;
  let producer: import("../../packages/queue/src/index").QueueContext | undefined;
  try {
    const databaseUrl = await gantryDatabaseOn(cluster);
    const core = await import("@gantry/core");
    const { prisma } = await import("@gantry/db");
    const queue = await import("../../packages/queue/src/index");
    const { config } = await import("@gantry/config");
    producer = queue.createQueueContext({ redisUrl: config().REDIS_URL, prefix });
    const admin = await core.createUserWithPassword({
      email: `faults-${prefix}@example.com`,
      name: "Faults",
      password: randomBytes(12).toString("hex"),
      isAdmin: true,
    });
    const actor = { userId: admin.id, isAdmin: true, memberships: {}, tokenProjectIds: null };
    const project = await prisma().project.create({
      data: { slug: prefix, name: "Faults", githubOwner: "acme", githubRepo: prefix, odooSeries: "17.0" },
    });
    const { token } = await core.createToken(actor, { name: "faults", projectIds: [project.id] });
    const branch = await prisma().branch.create({
      data: { projectId: project.id, name: "main", stage: "PRODUCTION" },
    });

    api = await startApiServer();
    worker = await startWorkerProcess({ db: { url: databaseUrl }, dataDir, prefix }, {});

    // Jobs that read Gantry's database first thing, before and during the outage: a branch's
    // backup retention (two attempts) and a backup run for a finished backup (one attempt; it
    // finds the row done and skips it).
    const done = await prisma().backup.create({
      data: { projectId: project.id, branchId: branch.id, kind: "MANUAL", status: "DONE" },
    });
    const ids: string[] = [];
    const enqueue = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const jobId = `probe-${ids.length}`;
        if (ids.length % 2) await queue.enqueue("backups.run", { backupId: done.id }, { jobId }, producer);
        else await queue.enqueue("backups.retention", { branchId: branch.id }, { jobId }, producer);
        ids.push(jobId);
      }
    };
    const before = await ask(api.url, token);
    check(tally, "API answers 200 before the restart", before.status === 200 ? [] : [JSON.stringify(before)]);
    await enqueue(JOBS_BEFORE);

    await cluster.stop();
    tally.trials += 1;
    tally.faults += 1;
    const down: Answer[] = [];
    const outageEnds = Date.now() + OUTAGE_MS;
    let enqueued = false;
    while (Date.now() < outageEnds) {
      down.push(await ask(api.url, token));
      if (!enqueued) {
        await enqueue(JOBS_DURING);
        enqueued = true;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    await cluster.start();
    const restartedAt = Date.now();

    const wrong = down.filter((a) => a.status !== 503 || a.code !== "unavailable" || !a.message);
    check(
      tally,
      "API answers 503 unavailable with a message while PostgreSQL is down",
      wrong.map((a) => JSON.stringify(a)),
    );
    const back = await waitFor(
      "the API to answer 200 again",
      async () => ((await ask(api!.url, token)).status === 200 ? Date.now() - restartedAt : undefined),
      60_000,
    ).catch(() => undefined);
    check(
      tally,
      "API answers 200 again by itself",
      back !== undefined ? [] : ["still not 200 60 s after the restart"],
    );

    const lost = await lostJobs(producer.queue("backups"), ids, 120_000);
    check(tally, `${JOBS_BEFORE + JOBS_DURING} jobs reading the database completed`, lost);
    check(
      tally,
      "worker process still running",
      worker.child.exitCode === null
        ? []
        : [`exited ${worker.child.exitCode}: ${worker.stderr().slice(-500)}`],
    );
    tally.notes.push(
      `${down.length} API calls during a ${OUTAGE_MS} ms outage; API back ${back === undefined ? "never" : `${back} ms`} after PostgreSQL started again`,
    );
  } finally {
    worker?.killAll();
    if (worker) await worker.exited;
    await api?.close();
    const { prisma } = await import("@gantry/db");
    await prisma().$disconnect();
    if (producer) {
      await dropPrefix(producer).catch(() => {});
      await producer.close();
    }
    await cluster.destroy();
    await rm(dataDir, { recursive: true, force: true });
  }
}
