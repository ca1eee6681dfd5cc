// What the worker tells the rest of Gantry about its Docker Engine, with each heartbeat: the web
// never opens the Docker socket, so the engine's health and the Odoo series it can run (the
// upgrade targets) reach it only through this report.
import { imageOf, upgradeSeries, withTimeout } from "@gantry/core";
import type { EngineReport } from "@gantry/queue";
import type { ContainerRuntime } from "@gantry/runtime";

/** A beat must not wait on a hung engine: it reports the hang instead. */
const PROBE_TIMEOUT_MS = 5_000;

async function probe(runtime: ContainerRuntime): Promise<EngineReport> {
  const version = await runtime.version();
  const present = await Promise.all(upgradeSeries.map((series) => runtime.imageExists(imageOf(series))));
  return {
    ok: true,
    message: `Docker Engine ${version.Version} (API ${version.ApiVersion})`,
    series: upgradeSeries.filter((_, i) => present[i]),
  };
}

export async function engineReportOf(runtime: ContainerRuntime): Promise<EngineReport> {
  try {
    return await withTimeout(probe(runtime), PROBE_TIMEOUT_MS);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, message: `Docker Engine unreachable: ${reason}`.slice(0, 500), series: [] };
  }
}
