import type { Command } from "commander";
import type { ApiClient } from "../client.js";
import { contextOf, printId } from "../context.js";
import { downloadResumable } from "../download.js";
import { CliError, exitCodes } from "../exit.js";
import { humanBytes, printJson, printTable, shortTime } from "../output.js";
import { resolveBranch, resolveProject } from "../resolve.js";
import { type Backup, backupList, queued } from "../schemas.js";

const projectPath = (projectId: string) => `/api/v1/projects/${encodeURIComponent(projectId)}`;
const branchPath = (projectId: string, branchId: string) =>
  `${projectPath(projectId)}/branches/${encodeURIComponent(branchId)}`;

function printBackups(backups: Backup[]): void {
  printTable(
    ["ID", "BRANCH", "KIND", "STATUS", "SIZE", "VERIFIED", "CREATED"],
    backups.map((b) => [
      b.id,
      b.branch?.name ?? "-",
      b.kind,
      b.status,
      humanBytes(b.sizeBytes),
      b.verifyStatus,
      shortTime(b.createdAt),
    ]),
    "No backups.",
  );
}

async function findBackup(client: ApiClient, projectId: string, backupId: string): Promise<Backup> {
  const { data } = await client.json(backupList, `${projectPath(projectId)}/backups`);
  const found = data.backups.find((b) => b.id === backupId);
  if (!found) throw new CliError(exitCodes.notFound, `no backup ${JSON.stringify(backupId)} in this project`);
  return found;
}

export function registerBackups(program: Command): void {
  const backups = program
    .command("backups")
    .description("List, take, download and restore backups (`gantry backups PROJECT [BRANCH]` lists)");

  backups
    .command("list", { isDefault: true })
    .description("The project's backups, or one branch's")
    .argument("<project>", "project id, slug or name")
    .argument("[branch]", "branch name or id")
    .action(
      async (projectRef: string, branchRef: string | undefined, _options: unknown, command: Command) => {
        const context = contextOf(command);
        const client = await context.client();
        const project = await resolveProject(client, projectRef);
        const path = branchRef
          ? `${branchPath(project.id, (await resolveBranch(client, project.id, branchRef)).id)}/backups`
          : `${projectPath(project.id)}/backups`;
        await context.show(backupList, path, (data) => printBackups(data.backups));
      },
    );

  backups
    .command("create")
    .description("Take a backup of a production or staging branch now")
    .argument("<project>", "project id, slug or name")
    .argument("<branch>", "branch name or id")
    .option("--no-filestore", "the database only")
    .option("--neutralized", "neutralize the copy (no mails, no crons)")
    .action(
      async (
        projectRef: string,
        branchRef: string,
        options: { filestore: boolean; neutralized?: boolean },
        command: Command,
      ) => {
        const context = contextOf(command);
        const client = await context.client();
        const project = await resolveProject(client, projectRef);
        const branch = await resolveBranch(client, project.id, branchRef);
        await context.show(queued, `${branchPath(project.id, branch.id)}/backups`, printId, {
          method: "POST",
          body: { withFilestore: options.filestore, neutralized: options.neutralized === true },
        });
      },
    );

  backups
    .command("download")
    .description("Download a backup zip; run again to resume an interrupted download")
    .argument("<project>", "project id, slug or name")
    .argument("<backup>", "backup id")
    .option("-o, --output <file>", "where to write it", undefined)
    .action(async (projectRef: string, backupId: string, options: { output?: string }, command: Command) => {
      const context = contextOf(command);
      const client = await context.client();
      const project = await resolveProject(client, projectRef);
      const backup = await findBackup(client, project.id, backupId);
      if (backup.status !== "DONE")
        throw new CliError(exitCodes.notFound, `backup ${backupId} is ${backup.status}: no archive yet`);
      const file = options.output ?? `backup-${backup.id}.zip`;
      const path = `${projectPath(project.id)}/backups/${encodeURIComponent(backup.id)}/download`;
      const result = await downloadResumable(client, path, file, {
        size: backup.sizeBytes,
        sha256: backup.sha256,
      });
      if (context.json) return printJson(result);
      const resumed = result.resumedFrom > 0 ? `, resumed at ${humanBytes(result.resumedFrom)}` : "";
      process.stdout.write(
        `${result.file} (${humanBytes(result.bytes)}${resumed}), sha256 ${result.sha256}\n`,
      );
    });

  backups
    .command("restore")
    .description("Restore a backup into a branch (a safety backup of its current data is taken first)")
    .argument("<project>", "project id, slug or name")
    .argument("<branch>", "branch name or id")
    .argument("<backup>", "backup id")
    .option("-y, --yes", "confirm: the branch's database and filestore are replaced")
    .action(
      async (
        projectRef: string,
        branchRef: string,
        backupId: string,
        options: { yes?: boolean },
        command: Command,
      ) => {
        if (!options.yes)
          throw new CliError(exitCodes.usage, "restoring replaces the branch's data: add --yes to confirm");
        const context = contextOf(command);
        const client = await context.client();
        const project = await resolveProject(client, projectRef);
        const branch = await resolveBranch(client, project.id, branchRef);
        const path = `${branchPath(project.id, branch.id)}/backups/${encodeURIComponent(backupId)}/restore`;
        await context.show(queued, path, printId, { method: "POST" });
      },
    );
}
