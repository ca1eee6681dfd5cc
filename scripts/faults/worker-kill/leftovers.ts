// What must not outlive the builds, backups and restores of the fault run's project once
// everything has ended: containers, databases and roles on the build clusters, work dirs and
// backup scratch files. A container lives only while its build serves; a database, role or work
// dir while its build is not cleaned (a failed build's database waits for retention), and the
// production branch's database always. Anything else named after one of the project's builds
// or branches is an orphan: nothing in Gantry's rows would ever remove it. So is a restore role
// made during the trial that owns no database once everything has ended: its restore is over.
// Upgrade attempts are named by their id too: a rehearsal that succeeded keeps its upgraded copy
// and role (the branch's test mode), a production upgrade that succeeded keeps its role (it
// serves production until the next build) and its code checkout (the new server mounts it);
// anything else of an ended attempt but its upgrade.log is an orphan, and so are the working
// copy's and the swapped-aside filestores (`_upgrade`, `_preupgrade`) beside production's.
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import pg from "pg";
import { type ClusterLogin, DEV_CLUSTER, PROD_CLUSTER } from "../../../tests/support/clusters";
import type { FaultPlatform, FaultProject } from "./platform";

async function namesOn(cluster: ClusterLogin, sql: string): Promise<string[]> {
  const client = new pg.Client({ ...cluster, database: "postgres" });
  await client.connect();
  try {
    return (await client.query<{ name: string }>(sql)).rows.map((r) => r.name);
  } finally {
    await client.end();
  }
}

async function entries(dir: string): Promise<string[]> {
  return readdir(dir).catch(() => []);
}

export async function findLeftovers(
  platform: FaultPlatform,
  since: number,
  project: FaultProject = platform,
): Promise<{
  containers: string[];
  databases: string[];
  roles: string[];
  files: string[];
}> {
  const { prisma } = await import("@gantry/db");
  const { DockerRuntime } = await import("../../../packages/runtime/src/index");
  const { RESTORE_ROLE_PREFIX, restoreRoleCreatedAt } = await import("../../../packages/postgres/src/index");
  const { productionDatabaseName } = await import("../../../apps/worker/src/builds/stages/production-names");
  const builds = await prisma().build.findMany({ where: { projectId: project.projectId } });
  const attempts = await prisma().upgradeAttempt.findMany({ where: { projectId: project.projectId } });
  const serves = builds.filter((b) => b.servingAt && !b.cleanedAt);
  const kept = builds.filter((b) => !b.cleanedAt);
  const ids = [...builds.map((b) => b.id), ...Object.values(project.branches), ...attempts.map((a) => a.id)];
  const ours = (name: string) => ids.some((id) => name.includes(id));
  const succeeded = attempts.filter((a) => a.status === "SUCCEEDED");

  const serving = new Set(serves.map((b) => b.containerName).filter((n): n is string => !!n));
  const containers = (await new DockerRuntime().listManaged({ project: project.projectId }))
    .concat(
      (await new DockerRuntime().listManaged()).filter(
        (c) => ours(c.labels["gantry.build"] ?? "") && c.labels["gantry.project"] !== project.projectId,
      ),
    )
    .filter((c) => !serving.has(c.name))
    .map((c) => `${c.name} (${c.state})`);

  const keptDatabases = new Set([
    productionDatabaseName(project.branches.production),
    ...kept.map((b) => b.databaseName).filter((n): n is string => !!n),
    ...succeeded.map((a) => a.copyDatabase).filter((n): n is string => !!n),
  ]);
  const keptRoles = new Set([
    ...kept.map((b) => b.databaseRole).filter((n): n is string => !!n),
    ...succeeded.map((a) => `gantry_u_${a.id}`),
  ]);
  const databases: string[] = [];
  const roles: string[] = [];
  for (const cluster of [PROD_CLUSTER, DEV_CLUSTER]) {
    for (const name of await namesOn(cluster, "SELECT datname AS name FROM pg_database"))
      if (ours(name) && !keptDatabases.has(name)) databases.push(`${name} on :${cluster.port}`);
    for (const name of await namesOn(cluster, "SELECT rolname AS name FROM pg_roles"))
      if (ours(name) && !keptRoles.has(name)) roles.push(`${name} on :${cluster.port}`);
    const restoreRoles = await namesOn(
      cluster,
      `SELECT r.rolname AS name FROM pg_roles r WHERE starts_with(r.rolname, '${RESTORE_ROLE_PREFIX}')
         AND NOT EXISTS (SELECT 1 FROM pg_database d WHERE d.datdba = r.oid)`,
    );
    // Whole seconds in the name: a role of the trial's first second counts.
    for (const name of restoreRoles)
      if ((restoreRoleCreatedAt(name) ?? 0) >= since - 1000) roles.push(`${name} on :${cluster.port}`);
  }

  // A cleaned build keeps only its logs; backup scratch holds nothing once no backup runs.
  const files: string[] = [];
  for (const build of builds.filter((b) => b.cleanedAt)) {
    for (const entry of await entries(join(platform.env.dataDir, "builds", build.id)))
      if (entry !== "logs") files.push(join("builds", build.id, entry));
  }
  files.push(...(await attemptFiles(platform.env.dataDir, attempts)));
  const productionFiles = join(
    platform.env.dataDir,
    "production",
    project.branches.production,
    "data",
    "filestore",
  );
  for (const entry of await entries(productionFiles))
    if (/_(pre)?upgrade$/.test(entry))
      files.push(join("production", project.branches.production, "data", "filestore", entry));
  const scratch = join(platform.env.dataDir, "backup-scratch");
  for (const entry of await entries(scratch)) {
    // The uploads folder stays; an upload in it outlives its import only as a leftover.
    if (entry === "uploads")
      for (const upload of await entries(join(scratch, entry)))
        files.push(join("backup-scratch", entry, upload));
    else files.push(join("backup-scratch", entry));
  }
  return { containers, databases, roles, files };
}

/** What ended attempts keep beyond their upgrade.log and what succeeded ones serve from. */
async function attemptFiles(
  dataDir: string,
  attempts: { id: string; kind: string; status: string; copyDatabase: string | null }[],
): Promise<string[]> {
  const files: string[] = [];
  for (const attempt of attempts.filter((a) => ["SUCCEEDED", "FAILED", "CANCELLED"].includes(a.status))) {
    const dir = join("upgrades", attempt.id);
    const succeeded = attempt.status === "SUCCEEDED";
    for (const entry of await entries(join(dataDir, dir))) {
      if (entry === "upgrade.log" || entry === "data") continue;
      if (entry === "src" && succeeded && attempt.kind === "PRODUCTION") continue;
      files.push(join(dir, entry));
    }
    for (const database of await entries(join(dataDir, dir, "data", "filestore")))
      if (!(succeeded && database === attempt.copyDatabase))
        files.push(join(dir, "data", "filestore", database));
  }
  return files;
}
