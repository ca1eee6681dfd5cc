import type { Command } from "commander";
import { contextOf } from "../context.js";
import { printTable, shortTime } from "../output.js";
import { resolveProject } from "../resolve.js";
import { branchList, projectList } from "../schemas.js";

export function registerProjects(program: Command): void {
  program
    .command("projects")
    .description("The projects you collaborate on")
    .action(async (_options: unknown, command: Command) => {
      const context = contextOf(command);
      await context.show(projectList, "/api/v1/projects", (data) => {
        printTable(
          ["ID", "SLUG", "NAME", "REPOSITORY", "ODOO", "ROLE"],
          data.projects.map((p) => [
            p.id,
            p.slug,
            p.name,
            `${p.githubOwner}/${p.githubRepo}`,
            p.odooSeries,
            p.role ?? "-",
          ]),
          "No projects.",
        );
      });
    });

  program
    .command("branches")
    .description("A project's branches and their stages")
    .argument("<project>", "project id, slug or name")
    .action(async (projectRef: string, _options: unknown, command: Command) => {
      const context = contextOf(command);
      const client = await context.client();
      const project = await resolveProject(client, projectRef);
      const path = `/api/v1/projects/${encodeURIComponent(project.id)}/branches`;
      await context.show(branchList, path, (data) => {
        printTable(
          ["ID", "NAME", "STAGE", "CREATED"],
          data.branches.map((b) => [b.id, b.name, b.stage, shortTime(b.createdAt)]),
          "No branches.",
        );
      });
    });
}
