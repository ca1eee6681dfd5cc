// The upgrade never touches the source: it works on a copy of the database (a PostgreSQL
// template clone) and of its filestore (`cp -a`, so the odoo user keeps owning the files).
// A failed attempt drops the copy; the source is exactly as it was.
import { execFile } from "node:child_process";
import { mkdir, rm, stat } from "node:fs/promises";
import { dirname } from "node:path";
import { promisify } from "node:util";
import type { DbServerConnection } from "@gantry/core";
import { ident, withAdmin } from "../shared/pg-admin";

const run = promisify(execFile);

/** Clones `source` into `copy` (owned by `owner`); refuses when the copy already exists. */
export async function cloneDatabase(
  admin: DbServerConnection,
  source: string,
  copy: string,
  owner: string,
): Promise<void> {
  await withAdmin(admin, "postgres", async (client) => {
    // A template clone needs the source without other sessions: whoever holds one is in the way.
    const busy = await client.query<{ n: string }>(
      "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
      [source],
    );
    if (Number(busy.rows[0]?.n) > 0) {
      throw new Error(
        `database ${source} is in use by ${busy.rows[0]?.n} session(s): stop what serves it first`,
      );
    }
    await client.query(`CREATE DATABASE ${ident(copy)} OWNER ${ident(owner)} TEMPLATE ${ident(source)}`);
  });
}

export async function renameDatabase(admin: DbServerConnection, from: string, to: string): Promise<void> {
  await withAdmin(admin, "postgres", (client) =>
    client.query(`ALTER DATABASE ${ident(from)} RENAME TO ${ident(to)}`),
  );
}

/** Copies a filestore folder (absent source: an empty copy), keeping owners and modes. */
export async function copyFilestore(source: string, copy: string): Promise<void> {
  if (
    await stat(copy).then(
      () => true,
      () => false,
    )
  )
    throw new Error(`${copy} already exists`);
  await mkdir(dirname(copy), { recursive: true });
  const present = await stat(source).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!present) {
    await mkdir(copy, { recursive: true });
    return;
  }
  await run("cp", ["-a", "--", source, copy]);
}

export async function removeFilestore(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true });
}
