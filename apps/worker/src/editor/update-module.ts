// The editor's "update module": the module updated (-u) by an Odoo run beside the serving one,
// in the serving container (its database login, addons path and data dir: the shell's helper),
// then the container restarted so the Python code just edited is loaded. The output goes to the
// build's update.log and the end of it into the job's result, for the editor to show.
import { appendFile } from "node:fs/promises";
import { join } from "node:path";
import { shellBuild } from "@gantry/core";
import { listSubmodules } from "@gantry/git";
import { discoverAddons } from "@gantry/odoo";
import { waitLock } from "@gantry/queue";
import { UnrecoverableError } from "bullmq";
import type { JobHandler } from "../handler";
import { waitHealthy } from "../shared/serve";
import { workspaceOf } from "../shared/workspace";
import { shellCommand } from "../shell/command";
import { powerLockName, wakeBuild } from "../sleep/power";

const HEALTH_TIMEOUT_MS = 120_000;
const OUTPUT_TAIL = 8000;

async function assertModuleInCheckout(src: string, module: string): Promise<void> {
  const discovery = await discoverAddons(src, { submodules: await listSubmodules(src) });
  if (!discovery.modules.some((m) => m.name === module)) {
    throw new UnrecoverableError(`no module ${module} in the build's checkout`);
  }
}

export const updateModuleJob: JobHandler<"maintenance.update-module"> = async (
  { buildId, module, requestedBy },
  context,
) => {
  const { runtime, queue } = context.services;
  const ws = workspaceOf(buildId);
  await assertModuleInCheckout(ws.src, module);
  if ((await wakeBuild(runtime, queue, buildId, context.signal)) === "gone") {
    throw new UnrecoverableError("the build does not serve any more");
  }
  const build = await shellBuild(buildId);
  if (!build) throw new UnrecoverableError("the build does not serve any more");
  const { cmd, env } = shellCommand({
    database: build.databaseName,
    prompt: "",
    restartToken: "",
    command: `_gantry_update_modules ${module}`,
  });
  const lock = await waitLock(queue, powerLockName(buildId), context.signal);
  try {
    const result = await runtime.exec(build.containerName, cmd, { env });
    const output = `${result.stdout}${result.stderr}`;
    await appendFile(
      join(ws.logs, "update.log"),
      `--- editor: -u ${module} asked by ${requestedBy} at ${new Date().toISOString()}\n${output}\n`,
    );
    const tail = output.slice(-OUTPUT_TAIL);
    if (result.exitCode !== 0) return { status: "failed" as const, exitCode: result.exitCode, output: tail };
    await runtime.stop(build.containerName, 10);
    await runtime.start(build.containerName);
    if (build.httpPort) {
      await waitHealthy(runtime, build.containerName, build.httpPort, context.signal, HEALTH_TIMEOUT_MS);
    }
    context.logger.info({ buildId, module }, "module updated from the editor");
    return { status: "updated" as const, exitCode: 0, output: tail };
  } finally {
    await lock.release();
  }
};
