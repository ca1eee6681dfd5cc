// One Odoo run to its end (install, tests, update): the container's output goes line by line
// to the phase's log file as it comes, so the dashboard can tail it live; a cancelled or
// timed-out job stops the container. A run that failed because its database server went away
// (restarted, out of reach) throws DatabaseLostError saying so, rather than returning an exit
// code its caller would blame on the code.
import { createWriteStream } from "node:fs";
import { bestEffort } from "@gantry/config";
import { databaseConnectionLost, databaseLostReason } from "@gantry/odoo";
import type { ContainerRuntime, ContainerSpec, LogLine } from "@gantry/runtime";
import { withLimits } from "./limits";

export class DatabaseLostError extends Error {
  override readonly name = "DatabaseLostError";
}

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
  let lost: string | null = null;
  try {
    await runtime.start(id);
    signal.addEventListener("abort", onAbort, { once: true });
    const lines = await runtime.logs(id, { follow: true });
    const copied = (async () => {
      for await (const chunk of lines as AsyncIterable<LogLine>) {
        out.write(`${chunk.line}\n`);
        lost ??= databaseConnectionLost(chunk.line);
      }
    })();
    const exitCode = await runtime.wait(id);
    // The exit code is the run's result; a log stream cut at the end does not change it.
    await bestEffort(`copying the output of ${spec.name}`, copied);
    if (exitCode !== 0 && lost) throw new DatabaseLostError(databaseLostReason(lost));
    return exitCode;
  } finally {
    signal.removeEventListener("abort", onAbort);
    await new Promise<void>((resolve) => out.end(resolve));
    await bestEffort(`removing ${spec.name}`, runtime.remove(id, true));
  }
}
