// One Odoo run to its end (install, tests, update): the container's output goes line by line
// to the phase's log file as it comes, so the dashboard can tail it live; a cancelled or
// timed-out job stops the container.
import { createWriteStream } from "node:fs";
import { bestEffort } from "@gantry/config";
import type { ContainerRuntime, ContainerSpec, LogLine } from "@gantry/runtime";
import { withLimits } from "./limits";

export async function runToLogFile(
  runtime: ContainerRuntime,
  spec: ContainerSpec,
  logFile: string,
  signal: AbortSignal,
): Promise<number> {
  // A leftover of an earlier run under the same name; were it still there, creating fails below.
  await bestEffort(`removing leftover container ${spec.name}`, runtime.remove(spec.name, true));
  const id = await runtime.createContainer(withLimits(spec));
  const out = createWriteStream(logFile, { flags: "a" });
  const onAbort = () => void bestEffort(`stopping ${spec.name}`, runtime.stop(id, 5));
  try {
    await runtime.start(id);
    signal.addEventListener("abort", onAbort, { once: true });
    const lines = await runtime.logs(id, { follow: true });
    const copied = (async () => {
      for await (const chunk of lines as AsyncIterable<LogLine>) out.write(`${chunk.line}\n`);
    })();
    const exitCode = await runtime.wait(id);
    // The exit code is the run's result; a log stream cut at the end does not change it.
    await bestEffort(`copying the output of ${spec.name}`, copied);
    return exitCode;
  } finally {
    signal.removeEventListener("abort", onAbort);
    await new Promise<void>((resolve) => out.end(resolve));
    await bestEffort(`removing ${spec.name}`, runtime.remove(id, true));
  }
}
