// One Odoo run to its end (install, tests, update): the container's output goes line by line
// to the phase's log file as it comes, so the dashboard can tail it live; a cancelled or
// timed-out job stops the container.
import { createWriteStream } from "node:fs";
import type { ContainerRuntime, ContainerSpec, LogLine } from "@gantry/runtime";
import { withLimits } from "./limits";

export async function runToLogFile(
  runtime: ContainerRuntime,
  spec: ContainerSpec,
  logFile: string,
  signal: AbortSignal,
): Promise<number> {
  await runtime.remove(spec.name, true).catch(() => {});
  const id = await runtime.createContainer(withLimits(spec));
  const out = createWriteStream(logFile, { flags: "a" });
  const onAbort = () => void runtime.stop(id, 5).catch(() => {});
  try {
    await runtime.start(id);
    signal.addEventListener("abort", onAbort, { once: true });
    const lines = await runtime.logs(id, { follow: true });
    const copied = (async () => {
      for await (const chunk of lines as AsyncIterable<LogLine>) out.write(`${chunk.line}\n`);
    })();
    const exitCode = await runtime.wait(id);
    await copied.catch(() => {});
    return exitCode;
  } finally {
    signal.removeEventListener("abort", onAbort);
    await new Promise<void>((resolve) => out.end(resolve));
    await runtime.remove(id, true).catch(() => {});
  }
}
