// The serving container of a build, stopped while its database is swapped and started again
// afterwards; "serving again" means Odoo answers on its port (see odoo-ready.ts).
import type { ContainerRuntime } from "@gantry/runtime";
import { stateIfExists } from "../shared/container-state";
import { waitHealthy } from "../shared/serve";

export async function stopServing(runtime: ContainerRuntime, name: string | null): Promise<boolean> {
  if (!name) return false;
  const state = await stateIfExists(runtime, name);
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
  await waitHealthy(runtime, name, port, signal, timeoutMs);
}
