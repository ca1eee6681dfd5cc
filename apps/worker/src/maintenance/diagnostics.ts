import { hostname } from "node:os";
import { type DiagnosticsResult, pingRedis } from "@gantry/queue";
import type { JobHandler } from "../handler";

function describe(error: unknown): string {
  return error instanceof Error ? error.message || error.name : String(error);
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: Math.round((performance.now() - started) * 100) / 100 };
}

/**
 * Measures what this worker sees. A broken component is part of the answer, not a failure of
 * the job: the person asking wants to know which one is down.
 */
export const diagnostics: JobHandler<"maintenance.diagnostics"> = async (payload, context) => {
  const { runtime, db, queue } = context.services;
  context.logger.info({ requestedBy: payload.requestedBy }, "running diagnostics");

  const docker: DiagnosticsResult["docker"] = await (async () => {
    try {
      const ping = await timed(() => runtime.ping());
      const version = await runtime.version();
      return { ok: true as const, version: version.Version, apiVersion: version.ApiVersion, pingMs: ping.ms };
    } catch (error) {
      return { ok: false as const, error: describe(error) };
    }
  })();

  const postgres: DiagnosticsResult["postgres"] = await (async () => {
    try {
      const rows = await db().$queryRawUnsafe<{ server_version: string }[]>("SHOW server_version");
      const query = await timed(() => db().$queryRawUnsafe("SELECT 1"));
      return { ok: true as const, serverVersion: rows[0]?.server_version ?? "unknown", queryMs: query.ms };
    } catch (error) {
      return { ok: false as const, error: describe(error) };
    }
  })();

  const redis: DiagnosticsResult["redis"] = await (async () => {
    try {
      return { ok: true as const, pingMs: await pingRedis(2000, queue) };
    } catch (error) {
      return { ok: false as const, error: describe(error) };
    }
  })();

  return {
    workerId: context.workerId,
    hostname: hostname(),
    pid: process.pid,
    nodeVersion: process.version,
    measuredAt: new Date().toISOString(),
    docker,
    postgres,
    redis,
  };
};
