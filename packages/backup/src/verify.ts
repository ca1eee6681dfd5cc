import { randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { dropDatabase, dropRestoredDatabase, dropRestoreRole, withConnection } from "@gantry/postgres";
import { HashCounter } from "./archive/counting";
import { listFilestore } from "./archive/filestore";
import type { ArchiveLimits } from "./archive/limits";
import { readModules } from "./manifest";
import type { PgConnection } from "./pg/connection";
import { countRows, listDataTables } from "./pg/tables";
import { restoreArchive } from "./restore";

export interface VerifyOptions {
  archive: string;
  /** A role allowed to create and drop the scratch database. */
  admin: PgConnection;
  /** Parent directory for the scratch filestore. */
  scratchDir: string;
  limits?: ArchiveLimits;
  /**
   * Names the scratch database and folder after what is verified (a backup's id) instead of at
   * random: at most one verification of a thing runs at a time, so whatever already carries the
   * name is the leftover of a run that died (its worker killed) and is removed first.
   */
  scratchName?: string;
}

/** Where a verification named `name` keeps its scratch filestore, under the scratch folder. */
export function verifyScratchFolder(name: string): string {
  if (!/^[a-z0-9]{1,40}$/.test(name)) throw new Error(`invalid verification scratch name ${name}`);
  return `verify-${name}`;
}

async function scratchFor(options: VerifyOptions): Promise<{ database: string; dir: string }> {
  if (!options.scratchName)
    return {
      database: `gantry_verify_${randomBytes(6).toString("hex")}`,
      dir: await mkdtemp(join(options.scratchDir, "verify-")),
    };
  const dir = join(options.scratchDir, verifyScratchFolder(options.scratchName));
  const database = `gantry_verify_${options.scratchName}`;
  // A dead run's copy, with the restore role that still owns it.
  await dropRestoredDatabase(options.admin, database);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir);
  return { database, dir };
}

export interface VerifyReport {
  ok: boolean;
  problems: string[];
  checked: { modules: number; tables: number; rows: number; files: number };
  /** Where the expected counts came from: the writer's snapshot, or only the dump's COPY blocks. */
  rowCountSource: "snapshot" | "dump";
}

async function sha256File(path: string): Promise<string> {
  const counter = new HashCounter();
  await pipeline(createReadStream(path), counter, async (source) => {
    for await (const _ of source);
  });
  return counter.sha256;
}

/**
 * The proof that a backup restores: restore it into a scratch database and filestore,
 * compare modules with the manifest, every table's exact row count with the counts the
 * writer took in the dump's own snapshot, and every file's sha256; then drop the scratch
 * copies whatever happened. Archives not made by Gantry (no `gantry` section) are checked
 * against the COPY rows of their dump and the zip's own file list instead.
 */
export async function verifyBackup(options: VerifyOptions): Promise<VerifyReport> {
  const problems: string[] = [];
  const checked = { modules: 0, tables: 0, rows: 0, files: 0 };
  const { database, dir } = await scratchFor(options);
  const filestore = join(dir, "filestore");
  let rowCountSource: VerifyReport["rowCountSource"] = "dump";
  let restoreRole: string | undefined;
  try {
    // One pass over the archive: the restore checks everything an inspection would.
    const restored = await restoreArchive({
      archive: options.archive,
      admin: options.admin,
      database,
      filestore,
      limits: options.limits,
    });
    const manifest = restored.result.manifest;
    const role = restored.result.restoreRole!;
    restoreRole = role.user;
    // Read back as the role that restored it: nothing of the dump runs with admin rights.
    const target = { ...options.admin, ...role, database };

    await withConnection(target, async (client) => {
      const modules = await readModules(client);
      for (const [name, version] of Object.entries(manifest.modules)) {
        if (!(name in modules)) problems.push(`module ${name} is not installed in the restored database`);
        else if (modules[name] !== version)
          problems.push(`module ${name}: ${modules[name]} restored, ${version} in manifest`);
      }
      for (const name of Object.keys(modules)) {
        if (!(name in manifest.modules)) problems.push(`module ${name} is installed but not in the manifest`);
      }
      checked.modules = Object.keys(modules).length;

      const expected: Record<string, number> = manifest.gantry
        ? manifest.gantry.row_counts
        : Object.fromEntries(restored.screen.copyRows);
      rowCountSource = manifest.gantry ? "snapshot" : "dump";
      const tables = await listDataTables(client);
      const actual = await countRows(client, tables);
      for (const [table, count] of Object.entries(expected)) {
        if (!(table in actual)) problems.push(`table ${table} is missing`);
        else if (actual[table] !== count)
          problems.push(`table ${table}: ${actual[table]} rows restored, ${count} expected`);
      }
      if (manifest.gantry) {
        for (const table of tables)
          if (!(table in expected)) problems.push(`table ${table} was not in the source`);
      }
      checked.tables = tables.length;
      checked.rows = Object.values(actual).reduce((a, b) => a + b, 0);
    });

    const expectedFiles: Record<string, string | undefined> = manifest.gantry?.filestore
      ? manifest.gantry.filestore.sha256
      : Object.fromEntries(
          restored.entries
            .filter((e) => e.kind === "filestore")
            .map((e) => [e.name.slice("filestore/".length), undefined]),
        );
    const listing = await listFilestore(filestore);
    const onDisk = new Set(listing.files);
    for (const [path, sum] of Object.entries(expectedFiles)) {
      if (!onDisk.has(path)) {
        problems.push(`file ${path} is missing`);
        continue;
      }
      if (sum !== undefined && (await sha256File(join(filestore, path))) !== sum)
        problems.push(`file ${path}: checksum differs`);
      checked.files++;
    }
    for (const path of listing.files)
      if (!(path in expectedFiles)) problems.push(`file ${path} was not in the source`);
  } catch (error) {
    problems.push(`restore failed: ${(error as Error).message}`);
  } finally {
    await dropDatabase(options.admin, database).catch((e) =>
      problems.push(`could not drop ${database}: ${e.message}`),
    );
    if (restoreRole)
      await dropRestoreRole(options.admin, restoreRole).catch((e) =>
        problems.push(`could not drop role ${restoreRole}: ${e.message}`),
      );
    await rm(dir, { recursive: true, force: true });
  }
  return { ok: problems.length === 0, problems, checked, rowCountSource };
}
