// What a deleted project leaves outside Gantry's own rows: databases and roles on the build
// servers, work trees and filestores under the data dir, and Caddy routes. Everything is named
// after ids the project's rows hold (builds, branches, upgrade attempts), so it is gathered
// before the rows go: build databases and roles by their recorded names, production's and the
// attempts' by their id prefixes (cuids: no other project's name can start the same way).

import { rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { bestEffort, config } from "@gantry/config";
import { prisma } from "@gantry/db";
import { dropDatabase, dropRole, listDatabases, listRoles } from "@gantry/postgres";
import { type DbServerConnection, listDbServers } from "../dbservers";
import { removeBranchDomainsRoute, unrouteBuild } from "../routing";

interface Owned {
  exact: Set<string>;
  prefixes: string[];
  dirs: string[];
  builds: string[];
  branches: string[];
}

async function ownedBy(projectId: string): Promise<Owned> {
  const [builds, branches, attempts] = await Promise.all([
    prisma().build.findMany({
      where: { projectId },
      select: { id: true, databaseName: true, databaseRole: true },
    }),
    prisma().branch.findMany({ where: { projectId }, select: { id: true } }),
    prisma().upgradeAttempt.findMany({ where: { projectId }, select: { id: true } }),
  ]);
  const exact = new Set<string>();
  for (const build of builds) {
    if (build.databaseName) exact.add(build.databaseName);
    if (build.databaseRole) exact.add(build.databaseRole);
  }
  const data = resolve(config().GANTRY_DATA_DIR);
  return {
    exact,
    prefixes: [...branches.map((b) => `gantry_p_${b.id}`), ...attempts.map((a) => `gantry_u_${a.id}`)],
    dirs: [
      ...builds.map((b) => join(data, "builds", b.id)),
      ...branches.map((b) => join(data, "production", b.id)),
      ...attempts.map((a) => join(data, "upgrades", a.id)),
    ],
    builds: builds.map((b) => b.id),
    branches: branches.map((b) => b.id),
  };
}

async function dropOnServer(server: DbServerConnection, owned: Owned): Promise<string[]> {
  const matches = (name: string) => owned.exact.has(name) || owned.prefixes.some((p) => name.startsWith(p));
  const databases = (await listDatabases(server)).filter(matches);
  for (const name of databases) await dropDatabase(server, name);
  const roles = (await listRoles(server)).filter(matches);
  // A role that still owns something elsewhere stays; it can log in to nothing of the project.
  for (const name of roles) await bestEffort(`dropping role ${name}`, dropRole(server, name));
  return databases.map((name) => `${server.name}/${name}`);
}

/** Drops the project's databases and roles on every server, its files and routes; returns the databases. */
export async function removeProjectLeftovers(projectId: string): Promise<string[]> {
  const owned = await ownedBy(projectId);
  const dropped: string[] = [];
  for (const server of await listDbServers()) dropped.push(...(await dropOnServer(server, owned)));
  for (const buildId of owned.builds)
    await bestEffort(`removing the route of build ${buildId}`, unrouteBuild(buildId));
  for (const branchId of owned.branches)
    await bestEffort(
      `removing the custom domains' route of branch ${branchId}`,
      removeBranchDomainsRoute(branchId),
    );
  for (const dir of owned.dirs) await rm(dir, { recursive: true, force: true });
  return dropped;
}
