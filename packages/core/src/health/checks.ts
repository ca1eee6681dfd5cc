import { config } from "@gantry/config";
import { migrationState, prisma } from "@gantry/db";
import { heartbeatTtlMs, pingRedis, readHeartbeats } from "@gantry/queue";
import { engineReports } from "./engine";
import type { CheckOutcome, ComponentName, HealthCheck } from "./types";
import { liveWorkers, type WorkerBeat } from "./workers";

async function database(): Promise<CheckOutcome> {
  await prisma().$queryRawUnsafe("SELECT 1");
  return { ok: true, message: "accepting queries" };
}

async function migrations(): Promise<CheckOutcome> {
  const state = await migrationState(prisma());
  if (state.upToDate) return { ok: true, message: "up to date" };
  const parts = [];
  if (state.pending.length > 0) parts.push(`pending: ${state.pending.join(", ")}`);
  if (state.failed.length > 0) parts.push(`failed: ${state.failed.join(", ")}`);
  return { ok: false, message: parts.join("; ") };
}

async function redis(): Promise<CheckOutcome> {
  await pingRedis();
  const url = new URL(config().REDIS_URL);
  return { ok: true, message: `reachable at ${url.host}` };
}

/** As the workers found it: the web process has no access to the Docker socket. */
async function docker(): Promise<CheckOutcome> {
  const reports = await engineReports();
  if (reports.length === 0) return { ok: false, message: "no live worker has reported on the Docker Engine" };
  const failing = reports.filter((report) => !report.ok);
  if (failing.length > 0) {
    return { ok: false, message: `worker ${failing[0]!.workerId}: ${failing[0]!.message}` };
  }
  const seen = reports.length === 1 ? "1 worker" : `${reports.length} workers`;
  return { ok: true, message: `${reports[0]!.message}, as seen by ${seen}` };
}

/** The checks of a Gantry installation; `workers` receives the live workers the last run saw. */
export function systemChecks(workers: { seen: WorkerBeat[] }): HealthCheck<ComponentName>[] {
  const worker = async (): Promise<CheckOutcome> => {
    const ttl = heartbeatTtlMs();
    workers.seen = liveWorkers(await readHeartbeats(), ttl);
    const count = workers.seen.length;
    if (count === 0) return { ok: false, message: `no worker heartbeat in the last ${ttl / 1000} s` };
    return { ok: true, message: `${count} worker${count === 1 ? "" : "s"} alive` };
  };
  return [
    { name: "database", run: database },
    { name: "migrations", run: migrations },
    { name: "redis", run: redis },
    { name: "docker", run: docker },
    { name: "worker", run: worker },
  ];
}
