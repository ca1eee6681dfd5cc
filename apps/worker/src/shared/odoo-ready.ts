// When a serving Odoo is ready for people. Odoo 17.0 and later answer /web/health; older
// series have no such route (404), so there the login page answering is the sign. Asking the
// server rather than knowing its series keeps this true for any image Gantry is given.
import { dialAddress } from "@gantry/core";

async function answers(url: string): Promise<Response | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(3000), redirect: "manual" });
    await response.arrayBuffer();
    return response;
  } catch {
    return undefined; // not listening yet
  }
}

/** `target`: see dialAddress. */
export async function odooAnswers(target: number | string): Promise<boolean> {
  const base = `http://${dialAddress(target)}`;
  const health = await answers(`${base}/web/health`);
  if (health?.ok) return true;
  if (health?.status !== 404) return false;
  return (await answers(`${base}/web/login`))?.ok ?? false;
}

export interface WaitForOdooOptions {
  port: number;
  /**
   * Where the server answers (`host:port`), when not on this machine's loopback: asked at each
   * try, since a cluster knows it only once the container runs (null: not yet).
   */
  address?: () => Promise<string | null>;
  /**
   * The container's state: a server that stopped will never answer. One still being placed or
   * pulled on a cluster's node is `created`, not yet running: it is waited for.
   */
  state: () => Promise<{ running: boolean; status?: string; exitCode?: number | null }>;
  signal?: AbortSignal;
  timeoutMs: number;
  pollMs?: number;
}

export async function waitForOdoo(options: WaitForOdooOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    options.signal?.throwIfAborted();
    const target = options.address ? await options.address() : options.port;
    if (target !== null && (await odooAnswers(target))) return;
    const state = await options.state();
    if (!state.running && state.status !== "created")
      throw new Error(`the Odoo server stopped before answering (exit ${state.exitCode}); see odoo.log`);
    if (Date.now() > deadline)
      throw new Error(`Odoo did not answer within ${Math.round(options.timeoutMs / 1000)} s`);
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 500));
  }
}
