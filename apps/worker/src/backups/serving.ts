// The serving container of a build, stopped while its database is swapped and started again
// afterwards; "serving again" means /web/health answers on its port.
import type { ContainerRuntime } from "@gantry/runtime";

export async function stopServing(runtime: ContainerRuntime, name: string | null): Promise<boolean> {
  if (!name) return false;
  const state = await runtime.inspect(name).catch(() => undefined);
  if (!state?.running) return false;
  await runtime.stop(name, 20);
  return true;
}

export async function startServingAgain(
  runtime: ContainerRuntime,
  name: string,
  port: number | null,
  signal?: AbortSignal,
  timeoutMs = 120_000,
): Promise<void> {
  await runtime.start(name);
  if (!port) return;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    signal?.throwIfAborted();
    try {
      const response = await fetch(`http://127.0.0.1:${port}/web/health`, {
        signal: AbortSignal.timeout(3000),
      });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    const state = await runtime.inspect(name);
    if (!state.running) throw new Error(`the Odoo server stopped after the restore (exit ${state.exitCode})`);
    if (Date.now() > deadline) throw new Error(`no answer from /web/health within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
