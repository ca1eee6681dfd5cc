// A worker killed mid-build leaves a RUNNING build, its container and its database: the next
// worker to start fails the build with the reason and removes what no live build owns.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { DEV_CLUSTER } from "../../support/clusters";
import { imageOf } from "../standin/helpers";
import { type BuildTestEnv, requireImage, useBuildTestEnv } from "./support";

let env: BuildTestEnv;
let prisma: typeof import("@gantry/db").prisma;

const DEV = DEV_CLUSTER;

async function devQuery(sql: string, params: unknown[] = []) {
  const client = new pg.Client(DEV);
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  await requireImage(imageOf("17.0"));
  env = await useBuildTestEnv();
  prisma = (await import("@gantry/db")).prisma;
}, 120_000);

afterAll(async () => {
  await prisma().$disconnect();
  await env?.db.drop();
});

it("fails the interrupted build and removes its container, database and role", async () => {
  // The runtime the worker runs on: the machine's engine, or the test Swarm (RUNTIME=swarm).
  const runtime = (await import("@gantry/runtime")).runtimeFromConfig();
  const project = await prisma().project.create({
    data: {
      slug: `crash-${env.prefix}`,
      name: "Crash",
      githubOwner: "acme",
      githubRepo: env.prefix,
      odooSeries: "17.0",
    },
  });
  const branch = await prisma().branch.create({ data: { projectId: project.id, name: "main" } });
  const build = await prisma().build.create({
    data: {
      projectId: project.id,
      branchId: branch.id,
      stage: "DEVELOPMENT",
      commitSha: "a".repeat(40),
      status: "RUNNING",
      workerId: "a-worker-that-was-killed",
    },
  });
  await prisma().buildPhase.createMany({
    data: [
      { buildId: build.id, name: "code", position: 0, status: "DONE" },
      { buildId: build.id, name: "image", position: 1, status: "DONE" },
      { buildId: build.id, name: "database", position: 2, status: "RUNNING" },
    ],
  });
  const core = await import("@gantry/core");
  const server = await core.dbServerForStage(project.id, "DEVELOPMENT");
  const database = core.buildDatabaseName(build.id);
  await prisma().build.update({
    where: { id: build.id },
    data: { dbServerId: server.id, databaseName: database, databaseRole: database },
  });
  await devQuery(`CREATE ROLE "${database}" LOGIN PASSWORD '${randomBytes(8).toString("hex")}'`);
  // As createRole does: the administrator (no superuser) acts on a role it is a member of.
  await devQuery(`GRANT "${database}" TO CURRENT_USER`);
  await devQuery(`CREATE DATABASE "${database}" OWNER "${database}"`);
  // As createDatabase does: closed to every role but its owner and the administrator.
  await devQuery(`REVOKE ALL ON DATABASE "${database}" FROM PUBLIC`);
  const containerId = await runtime.createContainer({
    name: core.buildContainerName(build.id, "install"),
    image: imageOf("17.0"),
    entrypoint: ["sleep", "300"],
    owner: { project: project.id, branch: branch.id, build: build.id },
    networkMode: "none",
  });
  await runtime.start(containerId);

  const { startWorker } = await import("../../../apps/worker/src/start-worker");
  const worker = await startWorker({ prefix: env.prefix, queues: ["builds"], shutdownTimeoutMs: 5000 });
  try {
    const after = await prisma().build.findUniqueOrThrow({
      where: { id: build.id },
      include: { phases: true },
    });
    expect(after.status).toBe("DONE");
    expect(after.result).toBe("FAILED");
    expect(after.errorSummary).toMatch(/interrupted/);
    expect(after.phases.find((p) => p.name === "database")?.status).toBe("FAILED");
    expect(await runtime.listManaged({ build: build.id })).toEqual([]);
    expect(await devQuery("SELECT 1 FROM pg_database WHERE datname = $1", [database])).toEqual([]);
    expect(await devQuery("SELECT 1 FROM pg_roles WHERE rolname = $1", [database])).toEqual([]);
  } finally {
    await worker.stop();
    await runtime.remove(containerId, true).catch(() => {});
  }
}, 120_000);
