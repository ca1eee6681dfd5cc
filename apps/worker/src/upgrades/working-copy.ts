// The upgrade never touches the source: it works on a copy of the database (a PostgreSQL
// template clone) and of its filestore (`cp -a`, so the odoo user keeps owning the files).
// A failed attempt drops the copy; the source is exactly as it was.
import { execFile } from "node:child_process";
import { mkdir, rm, stat } from "node:fs/promises";
import { dirname } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { quoteIdent } from "./database-state";

const run = promisify(execFile);

export interface AdminConnection {
  host: string;
  port: number;
  adminUser: string;
  adminPassword: string;
}

const DB_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

function checkName(name: string): string {
  if (!DB_NAME.test(name)) throw new Error(`unsafe database name ${JSON.stringify(name)}`);
  return quoteIdent(name);
}

export async function withAdmin<T>(
  admin: AdminConnection,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({
    host: admin.host,
    port: admin.port,
    user: admin.adminUser,
    password: admin.adminPassword,
    database: "postgres",
    connectionTimeoutMillis: 10_000,
  });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

export async function databaseExists(admin: AdminConnection, name: string): Promise<boolean> {
  return withAdmin(
    admin,
    async (c) => (await c.query("SELECT 1 FROM pg_database WHERE datname = $1", [name])).rowCount! > 0,
  );
}

/** Clones `source` into `copy` (owned by `owner`); refuses when the copy already exists. */
export async function cloneDatabase(
  admin: AdminConnection,
  source: string,
  copy: string,
  owner: string,
): Promise<void> {
  await withAdmin(admin, async (client) => {
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
    await client.query(
      `CREATE DATABASE ${checkName(copy)} OWNER ${checkName(owner)} TEMPLATE ${checkName(source)}`,
    );
  });
}

export async function dropDatabase(admin: AdminConnection, name: string): Promise<void> {
  await withAdmin(admin, (client) => client.query(`DROP DATABASE IF EXISTS ${checkName(name)} WITH (FORCE)`));
}

export async function renameDatabase(admin: AdminConnection, from: string, to: string): Promise<void> {
  await withAdmin(admin, (client) =>
    client.query(`ALTER DATABASE ${checkName(from)} RENAME TO ${checkName(to)}`),
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
