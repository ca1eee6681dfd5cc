// Production put back as it was before a change (a build's update or first installation, an
// upgrade): the live database and filestore restored from the copy taken before (a snapshot, or
// the live database renamed aside by a swap), or handed back to the role that owned it, or
// removed when the change created it; then the build that served before started again and
// routed; then what the change made beside production dropped.
//
// The input is a plain value, stored with the change as it goes (a build's database phase
// output, see builds/stages/production-recovery.ts; an upgrade attempt's rows, see
// upgrades/interrupted.ts), so the worker that made the change and the one that finds it after a
// crash put production back the same way. Every step may run twice (a crash during the
// rollback itself): each one looks before it acts.
import { rm } from "node:fs/promises";
import { dbServerById, routeBuild } from "@gantry/core";
import {
  databaseExists,
  dropDatabase,
  dropRole,
  renameDatabase,
  rolesWithPrefix,
  setDatabaseOwner,
  transferDatabase,
} from "@gantry/postgres";
import type { ContainerRuntime } from "@gantry/runtime";
import { z } from "zod";
import { restoreSnapshot } from "./filestore";
import { pathExists } from "./path-exists";
import { upstreamOf, waitHealthy } from "./serve";
import { recordServingNode } from "./serving-node";

const pgName = z.string().regex(/^[A-Za-z0-9_]{1,63}$/, "a PostgreSQL name of letters, digits and _");
const absolutePath = z.string().regex(/^\/(?!.*(^|\/)\.\.(\/|$)).+/, "an absolute path without ..");

export const productionRollbackSchema = z.object({
  /** The database server (its id: credentials are read when the rollback runs). */
  serverId: z.string().min(1),
  /** The live database and filestore, under the names production serves them. */
  database: pgName,
  filestore: absolutePath,
  /** How the live database goes back to what it was. */
  restore: z.discriminatedUnion("from", [
    /** Not changed (yet): nothing to put back. */
    z.object({ from: z.literal("untouched") }),
    /** Created by the change (a first installation): removed; the next build installs again. */
    z.object({ from: z.literal("nothing") }),
    /** Handed to the change's role, its contents unchanged: handed back. */
    z.object({ from: z.literal("owner"), role: pgName, owner: pgName }),
    /** A complete copy taken before the change: renamed back into place, with its filestore. */
    z.object({
      from: z.literal("copy"),
      database: pgName,
      filestore: absolutePath,
      /** The database's owner before the change (a snapshot belongs to the admin meanwhile). */
      owner: pgName.nullable(),
    }),
  ]),
  /** The build that served before the change: started again when it was stopped, and routed. */
  previous: z
    .object({
      buildId: z.string().min(1),
      containerName: z.string().min(1).nullable(),
      httpPort: z.number().int().positive().nullable(),
      host: z.string().min(1).nullable(),
      stopped: z.boolean(),
    })
    .nullable(),
  /** What the change made beside production, dropped once production serves again. */
  leftovers: z.object({
    databases: z.array(pgName),
    filestores: z.array(absolutePath),
    roles: z.array(pgName),
  }),
});

export type ProductionRollback = z.infer<typeof productionRollbackSchema>;

/** A stored rollback read back: null when none was stored; an error when it does not parse. */
export function parseProductionRollback(value: unknown): ProductionRollback | null {
  if (value === null || value === undefined) return null;
  const parsed = productionRollbackSchema.safeParse(value);
  if (!parsed.success)
    throw new Error(`the stored production rollback is unreadable: ${parsed.error.message}`);
  return parsed.data;
}

export interface RollbackOptions {
  signal?: AbortSignal;
  /** Runs once the database is back, before the previous build starts (e.g. a checksum check). */
  beforeRestart?: () => Promise<void>;
}

async function roleExists(server: Awaited<ReturnType<typeof dbServerById>>, role: string): Promise<boolean> {
  return (await rolesWithPrefix(server, role)).includes(role);
}

/**
 * Puts production back. The callers remove their own containers first: nothing of the change
 * may hold the database while it is put back. Returns what was done, for the log and the error
 * summary; throws when production could not be put back.
 */
export async function rollBackProduction(
  runtime: ContainerRuntime,
  plan: ProductionRollback,
  options: RollbackOptions = {},
): Promise<string[]> {
  const server = await dbServerById(plan.serverId);
  const done: string[] = [];
  const { restore } = plan;
  if (restore.from === "nothing") {
    await dropDatabase(server, plan.database);
    await rm(plan.filestore, { recursive: true, force: true });
    done.push("the new production database was removed; the next build installs it again");
  } else if (restore.from === "owner") {
    if (await roleExists(server, restore.role)) {
      await transferDatabase(server, plan.database, restore.role, restore.owner);
      done.push("database handed back unchanged");
    }
  } else if (restore.from === "copy") {
    if (await databaseExists(server, restore.database)) {
      await dropDatabase(server, plan.database);
      await renameDatabase(server, restore.database, plan.database);
      done.push("database and filestore restored to their state before the change");
    }
    if (restore.owner && (await databaseExists(server, plan.database)))
      await setDatabaseOwner(server, plan.database, restore.owner);
    if (await pathExists(restore.filestore)) await restoreSnapshot(restore.filestore, plan.filestore);
  }
  await options.beforeRestart?.();

  const previous = plan.previous;
  if (previous?.containerName && previous.stopped) {
    await runtime.start(previous.containerName);
    if (previous.httpPort)
      await waitHealthy(runtime, previous.containerName, previous.httpPort, options.signal, 180_000);
    done.push(`build ${previous.buildId} serves again`);
  }
  if (previous?.host && previous.httpPort) {
    const upstream = await upstreamOf(runtime, previous.containerName, previous.httpPort);
    await routeBuild(previous.buildId, previous.host, upstream);
    if (previous.containerName) await recordServingNode(runtime, previous.buildId, previous.containerName);
  }

  // Production serves again: what is left beside it is cleared, a failure here only noted.
  const leftovers = [
    ...plan.leftovers.databases.map(
      (name) => [`database ${name}`, () => dropDatabase(server, name)] as const,
    ),
    ...plan.leftovers.filestores.map(
      (path) => [`folder ${path}`, () => rm(path, { recursive: true, force: true })] as const,
    ),
    ...plan.leftovers.roles.map((name) => [`role ${name}`, () => dropRole(server, name)] as const),
  ];
  for (const [what, drop] of leftovers) {
    try {
      await drop();
    } catch (error) {
      done.push(`${what} could not be removed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return done;
}
