// One request to a serving build's /web/health on the address Gantry reaches it at (its
// 127.0.0.1 port on one host, its node's address on a cluster, as the deploy's readiness check
// does). Series before 17.0 have no such route (404): their login page answering is the sign,
// as in shared/odoo-ready.ts.
import { dialAddress } from "@gantry/core";

export type HttpAnswer =
  | { answered: true; ok: boolean; status: number; latencyMs: number }
  | { answered: false; reason: "timeout" | "unreachable"; latencyMs: number };

async function request(url: string, timeoutMs: number): Promise<HttpAnswer> {
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: "manual" });
    await response.arrayBuffer();
    return { answered: true, ok: response.ok, status: response.status, latencyMs: latency() };
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
    return { answered: false, reason: timedOut ? "timeout" : "unreachable", latencyMs: latency() };
  }
}

/** `target`: see dialAddress. */
export async function probeHttp(target: number | string, timeoutMs: number): Promise<HttpAnswer> {
  const base = `http://${dialAddress(target)}`;
  const health = await request(`${base}/web/health`, timeoutMs);
  if (health.answered && health.status === 404) return request(`${base}/web/login`, timeoutMs);
  return health;
}
