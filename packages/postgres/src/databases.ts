// Databases of a server, administered as its administrator from the `postgres` database:
// create (empty or from a template), clone, drop, rename, owner, listing. Names are Gantry's
// own and pass `ident`.
import type pg from "pg";
import { loginOf, onServer, type PgAdmin, withAdmin } from "./connection";
import { ident } from "./identifiers";

/**
 * Only its owner and the administrator may connect to a database Gantry creates: PostgreSQL
 * lets PUBLIC connect to every new database (a copy does not inherit its template's rights),
 * so any build's role could otherwise open every other build's database.
 */
async function closeToOthers(client: pg.Client, name: string, owner: string): Promise<void> {
  await client.query(`REVOKE ALL ON DATABASE ${ident(name)} FROM PUBLIC`);
  await client.query(`GRANT CONNECT, TEMPORARY ON DATABASE ${ident(name)} TO ${ident(owner)}, CURRENT_USER`);
}

/** A new database owned by `owner`: empty (UTF8 from template0) or a copy of `template`. */
export async function createDatabase(
  admin: PgAdmin,
  name: string,
  owner: string,
  template?: string,
): Promise<void> {
  await onServer(admin, async (client) => {
    const from = template ? ` TEMPLATE ${ident(template)}` : " TEMPLATE template0 ENCODING 'UTF8'";
    await client.query(`CREATE DATABASE ${ident(name)} OWNER ${ident(owner)}${from}`);
    await closeToOthers(client, name, owner);
  });
}

/**
 * Clones `source` into `copy` (owned by `owner`) as a template copy, refusing while anyone
 * else is connected to the source (a template clone needs it without other sessions) and
 * when the copy exists already.
 */
export async function cloneDatabase(
  admin: PgAdmin,
  source: string,
  copy: string,
  owner: string,
): Promise<void> {
  await onServer(admin, async (client) => {
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
    await closeToOthers(client, copy, owner);
  });
}

/**
 * Drops a database if it exists, ending the sessions connected to it (FORCE: the administrator
 * may end other roles' sessions through pg_signal_backend).
 */
export async function dropDatabase(admin: PgAdmin, name: string): Promise<void> {
  await onServer(admin, (client) => client.query(`DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`));
}

/**
 * Ends every client session connected to a database (a stray database shell, a stopped build's
 * pool). An autovacuum worker is left alone: the administrator may not signal it (it runs as
 * the superuser), and RENAME and DROP DATABASE stop it themselves.
 */
async function endSessions(client: pg.Client, database: string): Promise<void> {
  await client.query(
    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend' AND pid <> pg_backend_pid()",
    [database],
  );
}

/**
 * Renames a database. PostgreSQL refuses while anyone is connected to it; with `endSessions`
 * those sessions are ended first (the caller has stopped what should be using it).
 */
export async function renameDatabase(
  admin: PgAdmin,
  from: string,
  to: string,
  options: { endSessions?: boolean } = {},
): Promise<void> {
  await onServer(admin, async (client) => {
    if (options.endSessions) await endSessions(client, from);
    await client.query(`ALTER DATABASE ${ident(from)} RENAME TO ${ident(to)}`);
  });
}

export async function databaseExists(admin: PgAdmin, name: string): Promise<boolean> {
  return onServer(admin, async (client) => {
    const rows = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    return (rows.rowCount ?? 0) > 0;
  });
}

/** Every database name on the server. */
export async function listDatabases(admin: PgAdmin): Promise<string[]> {
  return onServer(admin, async (client) => {
    const rows = await client.query<{ datname: string }>("SELECT datname FROM pg_database");
    return rows.rows.map((row) => row.datname);
  });
}

export async function databasesWithPrefix(admin: PgAdmin, prefix: string): Promise<string[]> {
  return onServer(admin, async (client) => {
    const rows = await client.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE starts_with(datname, $1)",
      [prefix],
    );
    return rows.rows.map((row) => row.datname);
  });
}

/** The role owning a database, or null when there is no such database. */
export async function databaseOwner(admin: PgAdmin, name: string): Promise<string | null> {
  return onServer(admin, async (client) => {
    const rows = await client.query<{ owner: string }>(
      "SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1",
      [name],
    );
    return rows.rows[0]?.owner ?? null;
  });
}

export async function setDatabaseOwner(admin: PgAdmin, database: string, owner: string): Promise<void> {
  await onServer(admin, (client) =>
    client.query(`ALTER DATABASE ${ident(database)} OWNER TO ${ident(owner)}`),
  );
}

/**
 * Hands a database and everything in it from one role to another (a new build taking over
 * a kept database): the database's owner, then every object the old role owned in it. The
 * administrator's objects are never reassigned: REASSIGN OWNED BY the admin would also hand
 * over every other database it owns on the server.
 */
export async function transferDatabase(
  admin: PgAdmin,
  database: string,
  from: string,
  to: string,
): Promise<void> {
  await setDatabaseOwner(admin, database, to);
  if (from === to || from === loginOf(admin).user) return;
  await reassignOwned(admin, database, from, to);
}

/** Inside one database, every object `from` owns goes to `to`. */
export async function reassignOwned(
  admin: PgAdmin,
  database: string,
  from: string,
  to: string,
): Promise<void> {
  await withAdmin(admin, database, (client) =>
    client.query(`REASSIGN OWNED BY ${ident(from)} TO ${ident(to)}`),
  );
}
