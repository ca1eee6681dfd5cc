// The worker process killed with SIGKILL in the middle of a production upgrade, once production
// is stopped behind the maintenance page, then started again after its heartbeat lapsed: the
// starting worker ends the attempt as interrupted and puts production back, serving on 17.0
// with the same data (checksummed), its route restored, and nothing of the attempt left
// (working copy, swapped-aside database, containers, role, code checkout).
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fingerprint } from "../../../apps/worker/src/upgrades/fingerprint";
import { type BuildTestEnv, shaOf, waitFor } from "../builds/support";
import { imageOf, PG, query } from "../standin/helpers";
import { startWorkerProcess, type WorkerProcess } from "../worker/worker-process";
import {
  answers,
  caddyHandler,
  cleanupUpgradeTest,
  markRehearsed,
  type ServedProduction,
  servedProduction,
  useUpgradeTestEnv,
} from "./production-setup";
import { attemptEnded } from "./support";

let env: BuildTestEnv;
let prisma: typeof import("@gantry/db").prisma;
let core: typeof import("@gantry/core");
let producer: import("@gantry/queue").QueueContext;
let runtime: import("@gantry/runtime").DockerRuntime;
let worker: WorkerProcess | undefined;
let production: ServedProduction;

function startWorker(): Promise<WorkerProcess> {
  // A short heartbeat: the killed worker is seen as gone by the time the next one starts.
  return startWorkerProcess(env, { BACKUP_DIR: join(env.dataDir, "backups"), WORKER_HEARTBEAT_MS: "1000" });
}

beforeAll(async () => {
  let enqueueBuild: (buildId: string) => Promise<unknown>;
  ({ env, producer, enqueueBuild } = await useUpgradeTestEnv());
  prisma = (await import("@gantry/db")).prisma;
  core = await import("@gantry/core");
  runtime = new (await import("@gantry/runtime")).DockerRuntime();
  worker = await startWorker();
  production = await servedProduction(env, "upgcrash", enqueueBuild);
}, 420_000);

afterAll(async () => {
  worker?.killAll();
  if (worker) await worker.exited;
  await cleanupUpgradeTest({ env, producer, database: production?.database });
}, 180_000);

describe("a worker killed in the middle of a production upgrade", () => {
  it("is ended as interrupted by the next worker, production serving on 17.0 exactly as before", async () => {
    const { projectId, branchId, buildId, database, repo } = production;
    const build = await prisma().build.findUniqueOrThrow({ where: { id: buildId } });
    const filestore = join(env.dataDir, "production", branchId, "data", "filestore", database);
    const before = await fingerprint({ ...PG, database }, filestore);
    const user = await prisma().user.create({
      data: { email: `admin-${env.prefix}@acme.example.com`, name: "A" },
    });
    const admin = {
      userId: user.id,
      isAdmin: false,
      memberships: { [projectId]: "ADMIN" as const },
      tokenProjectIds: null,
    };
    await markRehearsed(projectId, "18.0");
    await prisma().branch.update({
      where: { id: branchId },
      data: { lastSeenSha: await shaOf(repo, "18.0") },
    });
    const asked = await core.requestProductionUpgrade(admin, projectId, branchId, {
      toSeries: "18.0",
      when: { mode: "at", at: new Date().toISOString() },
    });

    // Killed once production is stopped and a step after "stop" runs on the copy: killed between
    // two steps, the attempt would have no running step to name as the one cut.
    const cut = await waitFor(
      "a step after stopping production to be running",
      async () => {
        const row = await prisma().upgradeAttempt.findUniqueOrThrow({ where: { id: asked.id } });
        if (["SUCCEEDED", "FAILED", "CANCELLED"].includes(row.status)) return { endedFirst: row.status };
        const steps = row.steps as { name: string; status: string }[];
        const stop = steps.findIndex((s) => s.name === "stop" && s.status === "done");
        const running = stop >= 0 && steps.slice(stop + 1).some((s) => s.status === "running");
        return running ? { endedFirst: null, workerId: row.workerId } : undefined;
      },
      300_000,
    );
    worker!.killAll();
    await worker!.exited;
    expect(cut.endedFirst, "the attempt ended before production was stopped").toBeNull();
    expect(await caddyHandler(buildId)).toBe("static_response");
    expect(cut.workerId, "the running attempt names its worker").toEqual(expect.any(String));
    // The next worker ends only attempts whose worker's heartbeat is gone.
    const { readHeartbeats } = await import("@gantry/queue");
    await waitFor(
      "the killed worker's heartbeat to expire",
      async () =>
        (await readHeartbeats(producer)).some((b) => b.workerId === cut.workerId) ? undefined : true,
      30_000,
    );

    worker = await startWorker();
    const done = await attemptEnded(asked.id, 120_000);
    expect(done.status).toBe("FAILED");
    expect(done.reverted).toBe(true);
    expect(done.error).toMatch(/interrupted/);
    expect(done.failedStep).not.toBeNull();
    const restarted = worker;
    expect(restarted.logs.find((l) => l.msg === "interrupted upgrade attempts ended")).toMatchObject({
      ended: [asked.id],
    });
    const steps = (await core.getUpgradeAttempt(admin, asked.id)).steps;
    expect(steps.filter((s) => s.status === "running")).toEqual([]);
    expect(steps.at(-1)).toMatchObject({ name: "revert", status: "done" });

    // Production is back as it was.
    expect(await fingerprint({ ...PG, database }, filestore)).toEqual(before);
    const state = await runtime.inspect(build.containerName!);
    expect(state.running).toBe(true);
    expect(state.image).toBe(imageOf("17.0"));
    expect(await answers(build.httpPort!, "/web/login")).toBe(200);
    expect(await caddyHandler(buildId)).toBe("reverse_proxy");
    expect((await prisma().branch.findUniqueOrThrow({ where: { id: branchId } })).odooSeries).toBeNull();

    // Nothing of the attempt is left.
    const leftovers = await query(
      "postgres",
      "SELECT datname FROM pg_database WHERE datname = ANY($1::text[])",
      [[`${database}_upgrade`, `${database}_preupgrade`]],
    );
    expect(leftovers).toEqual([]);
    expect(
      await query("postgres", "SELECT 1 FROM pg_roles WHERE rolname = $1", [`gantry_u_${asked.id}`]),
    ).toEqual([]);
    expect(existsSync(join(core.upgradeDir(asked.id), "src")), "the attempt's code checkout").toBe(false);
    const containers = await runtime.listManaged({ project: projectId });
    expect(containers.filter((c) => c.name.startsWith(`gantry-upgrade-${asked.id}`))).toEqual([]);
    expect(containers.filter((c) => c.state === "running").map((c) => c.name)).toEqual([build.containerName]);
  }, 900_000);
});
