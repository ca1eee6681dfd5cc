// What the health report shows to whoever asks: states, latencies, counts. The texts of the
// checks (Redis' address, the Docker Engine's version, migration names, error messages) and the
// workers' identities (host names, process ids) are for the platform's administrators only.
import type { SystemHealth } from "./system";

export function publicHealth(report: SystemHealth): SystemHealth {
  const components = Object.fromEntries(
    Object.entries(report.components).map(([name, health]) => [
      name,
      { ok: health.ok, latencyMs: health.latencyMs, message: health.ok ? "operational" : "failing" },
    ]),
  ) as SystemHealth["components"];
  return { ...report, components, workers: [] };
}
