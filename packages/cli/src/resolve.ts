// People name projects by slug or name and branches by name; the API wants ids. Each is
// looked up in the lists the caller can see, so an id works as well as a name.
import type { ApiClient } from "./client.js";
import { CliError, exitCodes } from "./exit.js";
import { branchList, projectList } from "./schemas.js";

function pick<T extends { id: string }>(
  rows: T[],
  ref: string,
  names: (row: T) => string[],
  what: string,
): T {
  const byId = rows.find((row) => row.id === ref);
  if (byId) return byId;
  const matches = rows.filter((row) => names(row).includes(ref));
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1)
    throw new CliError(exitCodes.usage, `${what} ${JSON.stringify(ref)} is ambiguous: use its id`);
  throw new CliError(exitCodes.notFound, `no ${what} ${JSON.stringify(ref)}`);
}

/** The API path of one build. */
export const buildPath = (id: string) => `/api/v1/builds/${encodeURIComponent(id)}`;

export async function resolveProject(client: ApiClient, ref: string): Promise<{ id: string; slug: string }> {
  const { data } = await client.json(projectList, "/api/v1/projects");
  return pick(data.projects, ref, (project) => [project.slug, project.name], "project");
}

export async function resolveBranch(
  client: ApiClient,
  projectId: string,
  ref: string,
): Promise<{ id: string; name: string }> {
  const path = `/api/v1/projects/${encodeURIComponent(projectId)}/branches`;
  const { data } = await client.json(branchList, path);
  return pick(data.branches, ref, (branch) => [branch.name], "branch");
}
