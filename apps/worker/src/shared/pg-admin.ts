// Administration of a build database server with its admin credentials: roles and databases
// of builds and templates. Identifiers are checked against a strict pattern and quoted; the
// admin credentials never reach a container.
import type { DbServerConnection } from "@gantry/core";
import pg from "pg";

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

export function ident(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`unsafe identifier ${JSON.stringify(name)}`);
  return `"${name}"`;
}

export async function withAdmin<T>(
  server: DbServerConnection,
  database: string,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({
    host: server.host,
    port: server.port,
    user: server.adminUser,
    password: server.adminPassword,
    database,
    connectionTimeoutMillis: 10_000,
  });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

export async function createRole(server: DbServerConnection, role: string, password: string): Promise<void> {
  await withAdmin(server, "postgres", async (client) => {
    await client.query(`DROP ROLE IF EXISTS ${ident(role)}`);
    // The password is a literal here (CREATE ROLE takes no parameters); it is hex from randomBytes.
    if (!/^[0-9a-f]{16,128}$/.test(password)) throw new Error("unexpected password format");
    await client.query(
      `CREATE ROLE ${ident(role)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '${password}'`,
    );
  });
}

export async function createDatabase(
  server: DbServerConnection,
  name: string,
  owner: string,
  template?: string,
): Promise<void> {
  await withAdmin(server, "postgres", async (client) => {
    const from = template ? ` TEMPLATE ${ident(template)}` : " TEMPLATE template0 ENCODING 'UTF8'";
    await client.query(`CREATE DATABASE ${ident(name)} OWNER ${ident(owner)}${from}`);
  });
}

export async function dropDatabase(server: DbServerConnection, name: string): Promise<void> {
  await withAdmin(server, "postgres", (client) =>
    client.query(`DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`),
  );
}

export async function dropRole(server: DbServerConnection, role: string): Promise<void> {
  await withAdmin(server, "postgres", async (client) => {
    const exists = await client.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [role]);
    if (exists.rowCount === 0) return;
    await client.query(`DROP ROLE IF EXISTS ${ident(role)}`);
  });
}

export async function databasesWithPrefix(server: DbServerConnection, prefix: string): Promise<string[]> {
  return withAdmin(server, "postgres", async (client) => {
    const rows = await client.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE starts_with(datname, $1)",
      [prefix],
    );
    return rows.rows.map((row) => row.datname);
  });
}

export async function rolesWithPrefix(server: DbServerConnection, prefix: string): Promise<string[]> {
  return withAdmin(server, "postgres", async (client) => {
    const rows = await client.query<{ rolname: string }>(
      "SELECT rolname FROM pg_roles WHERE starts_with(rolname, $1)",
      [prefix],
    );
    return rows.rows.map((row) => row.rolname);
  });
}

export async function databaseExists(server: DbServerConnection, name: string): Promise<boolean> {
  return withAdmin(server, "postgres", async (client) => {
    const rows = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    return (rows.rowCount ?? 0) > 0;
  });
}

/** The role owning a database, or null when there is no such database. */
export async function databaseOwner(server: DbServerConnection, name: string): Promise<string | null> {
  return withAdmin(server, "postgres", async (client) => {
    const rows = await client.query<{ owner: string }>(
      "SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1",
      [name],
    );
    return rows.rows[0]?.owner ?? null;
  });
}

/**
 * Hands a database and everything in it from one role to another (a new build taking over
 * a kept database): the database's owner, then every object the old role owned in it.
 */
export async function transferDatabase(
  server: DbServerConnection,
  database: string,
  from: string,
  to: string,
): Promise<void> {
  await setDatabaseOwner(server, database, to);
  if (from === to || from === server.adminUser) return;
  await withAdmin(server, database, (client) =>
    client.query(`REASSIGN OWNED BY ${ident(from)} TO ${ident(to)}`),
  );
}

export async function setDatabaseOwner(
  server: DbServerConnection,
  database: string,
  owner: string,
): Promise<void> {
  await withAdmin(server, "postgres", (client) =>
    client.query(`ALTER DATABASE ${ident(database)} OWNER TO ${ident(owner)}`),
  );
}

export async function renameDatabase(server: DbServerConnection, from: string, to: string): Promise<void> {
  await withAdmin(server, "postgres", (client) =>
    client.query(`ALTER DATABASE ${ident(from)} RENAME TO ${ident(to)}`),
  );
}
