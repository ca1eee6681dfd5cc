import type { Command } from "commander";
import type { z } from "zod";
import { contextOf, printId } from "../context.js";
import { printTable, shortTime } from "../output.js";
import { buildPath, resolveBranch, resolveProject } from "../resolve.js";
import { type BuildSummary, buildDetail, buildList, cancelled, rebuilt } from "../schemas.js";

/** "DONE SUCCESS", "RUNNING", "DONE FAILED": the state a person reads first. */
function state(build: BuildSummary): string {
  return build.result ? `${build.status} ${build.result}` : build.status;
}

function printBuild(data: z.output<typeof buildDetail>): void {
  const lines = [
    `Build   ${data.id}`,
    `Branch  ${data.branch.name} (${data.stage})`,
    `Commit  ${data.commitSha.slice(0, 12)} ${data.commitMessage.split("\n")[0]}`,
    `State   ${state(data)}${data.errorSummary ? `: ${data.errorSummary}` : ""}`,
    `URL     ${data.url ?? "-"}`,
    `Created ${shortTime(data.createdAt)}  finished ${shortTime(data.finishedAt)}`,
    "",
  ];
  process.stdout.write(lines.join("\n"));
  printTable(
    ["PHASE", "STATUS", "MESSAGE"],
    data.phases.map((p) => [p.name, p.status, p.message ?? ""]),
    "No phases yet.",
  );
  if (data.logs.length > 0)
    process.stdout.write(`Logs    ${data.logs.map((l) => `${l.file} (${l.bytes} B)`).join(", ")}\n`);
}

export function registerBuilds(program: Command): void {
  program
    .command("builds")
    .description("A project's builds, newest first")
    .argument("<project>", "project id, slug or name")
    .option("-b, --branch <branch>", "only this branch (name or id)")
    .option("-n, --limit <count>", "at most this many (1-200)")
    .action(async (projectRef: string, options: { branch?: string; limit?: string }, command: Command) => {
      const context = contextOf(command);
      const client = await context.client();
      const project = await resolveProject(client, projectRef);
      const query = new URLSearchParams();
      if (options.branch) query.set("branchId", (await resolveBranch(client, project.id, options.branch)).id);
      if (options.limit) query.set("take", options.limit);
      const search = query.size > 0 ? `?${query}` : "";
      const path = `/api/v1/projects/${encodeURIComponent(project.id)}/builds${search}`;
      await context.show(buildList, path, (data) => {
        printTable(
          ["ID", "BRANCH", "STAGE", "COMMIT", "STATE", "CREATED"],
          data.builds.map((b) => [
            b.id,
            b.branch.name,
            b.stage,
            b.commitSha.slice(0, 8),
            state(b),
            shortTime(b.createdAt),
          ]),
          "No builds.",
        );
      });
    });

  program
    .command("build")
    .description("One build: its state, phases and log files")
    .argument("<id>", "build id")
    .action(async (id: string, _options: unknown, command: Command) => {
      await contextOf(command).show(buildDetail, buildPath(id), printBuild);
    });

  program
    .command("rebuild")
    .description("Queue a new build of the same commit")
    .argument("<id>", "build id")
    .action(async (id: string, _options: unknown, command: Command) => {
      await contextOf(command).show(rebuilt, `${buildPath(id)}/rebuild`, printId, { method: "POST" });
    });

  program
    .command("cancel")
    .description("Cancel a build: a queued one at once, a running one at its next check")
    .argument("<id>", "build id")
    .action(async (id: string, _options: unknown, command: Command) => {
      const print = (data: { outcome: string }) => process.stdout.write(`${data.outcome}\n`);
      await contextOf(command).show(cancelled, `${buildPath(id)}/cancel`, print, { method: "POST" });
    });
}
