// `gantry deploy BUILD`: what a build held by its deploy gates waits for; --now releases it
// (the API's deploy-now, the stage's deploy right), --wait follows it until it ends and exits
// by its result, so a script can chain on a production deploy.
import type { Command } from "commander";
import { contextOf } from "../context.js";
import { CliError, exitCodes } from "../exit.js";
import { printJson } from "../output.js";
import { buildPath } from "../resolve.js";
import { buildDetail, deployed } from "../schemas.js";
import { waitForBuild, waitingFor } from "../wait.js";

export function registerDeploy(program: Command): void {
  program
    .command("deploy")
    .description(
      "A build held by its deploy gates: what it waits for; --now deploys it at once, --wait follows " +
        "it until it ends (exit 5 when it failed or was cancelled)",
    )
    .argument("<build>", "build id")
    .option("--now", "release it past its gates (checks, deploy window) at once")
    .option("--wait", "wait until the build ends; the exit code says how it ended")
    .action(async (id: string, options: { now?: boolean; wait?: boolean }, command: Command) => {
      const context = contextOf(command);
      const client = await context.client();
      const say = (line: string) => process.stderr.write(`${line}\n`);
      if (options.now) {
        const { raw } = await client.json(deployed, `${buildPath(id)}/deploy-now`, { method: "POST" });
        if (!options.wait) {
          if (context.json) printJson(raw);
          else process.stdout.write("queued\n");
          return;
        }
        say("released: queued");
      }
      if (!options.wait) {
        await context.show(buildDetail, buildPath(id), (data) =>
          process.stdout.write(`${waitingFor(data)}\n`),
        );
        return;
      }
      const { raw, data } = await waitForBuild(client, id, say);
      const outcome = data.result ? `${data.status} ${data.result}` : data.status;
      if (context.json) printJson(raw);
      else process.stdout.write(`${outcome}${data.errorSummary ? `: ${data.errorSummary}` : ""}\n`);
      if (data.status === "CANCELLED" || data.result === "FAILED")
        throw new CliError(exitCodes.failed, `build ${id} ended ${outcome}`);
    });
}
