import { config } from "@gantry/config";
import { migrationState, prisma } from "@gantry/db";
import { heartbeatTtlMs, pingRedis, readHeartbeats } from "@gantry/queue";
import { DockerRuntime } from "@gantry/runtime";
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

let runtime: DockerRuntime | undefined;

async function docker(): Promise<CheckOutcome> {
  runtime ??= new DockerRuntime({ host: config().DOCKER_HOST });
  await runtime.ping();
  const version = await runtime.version();
  return { ok: true, message: `Docker Engine ${version.Version} (API ${version.ApiVersion})` };
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
