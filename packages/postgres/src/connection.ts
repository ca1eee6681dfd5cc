// Connections to a PostgreSQL server: who logs in where, and one client per piece of work,
// always ended. The build servers' records name their administrator `adminUser` and
// `adminPassword`; every other login is `user` and `password`: both are accepted as an admin.
import { bestEffort } from "@gantry/config";
import pg from "pg";

/** Who connects to which server; as an admin, `database` is where it connects by default. */
export interface PgLogin {
  host: string;
  port?: number;
  user: string;
  password?: string;
  database?: string;
}

/** A login and the database it opens. */
export interface PgEndpoint extends PgLogin {
  database: string;
}

/** A database server as Gantry records it, with its administrator's credentials. */
export interface AdminServer {
  host: string;
  port: number;
  adminUser: string;
  adminPassword: string;
}

/** An administrator's login, either way it is written. */
export type PgAdmin = PgLogin | AdminServer;

export const DEFAULT_PORT = 5432;
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * Session settings of every connection Gantry opens, given at start-up so that they override
 * whatever a tenant set on its database (ALTER DATABASE ... SET): pg_catalog comes first, so
 * a schema of the tenant's cannot shadow a catalog table, function or operator, and unqualified
 * names still find Odoo's tables in public; row_security off makes a query on a table whose
 * policies would run (FORCE ROW LEVEL SECURITY) fail instead of running the tenant's policy
 * expressions with the caller's rights.
 */
export const SESSION_OPTIONS = "-c search_path=pg_catalog,public -c row_security=off";

export function loginOf(admin: PgAdmin): PgLogin {
  if ("adminUser" in admin)
    return { host: admin.host, port: admin.port, user: admin.adminUser, password: admin.adminPassword };
  return {
    host: admin.host,
    port: admin.port,
    user: admin.user,
    password: admin.password,
    database: admin.database,
  };
}

/** The administrator connecting to `database`. */
export function adminEndpoint(admin: PgAdmin, database: string): PgEndpoint & { port: number } {
  const login = loginOf(admin);
  return { ...login, port: login.port ?? DEFAULT_PORT, database };
}

/** A client not yet connected, for work that holds its connection open itself. */
export function pgClient(endpoint: PgEndpoint, applicationName?: string): pg.Client {
  return new pg.Client({
    host: endpoint.host,
    port: endpoint.port ?? DEFAULT_PORT,
    user: endpoint.user,
    password: endpoint.password,
    database: endpoint.database,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    options: SESSION_OPTIONS,
    ...(applicationName ? { application_name: applicationName } : {}),
  });
}

/** Runs `work` on a fresh connection, ended whatever happens. */
export async function withConnection<T>(
  endpoint: PgEndpoint,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = pgClient(endpoint);
  await client.connect();
  try {
    return await work(client);
  } finally {
    // The work's own result or error is what matters; a connection that fails to close cleanly
    // (the server already gone) is closed by the process.
    await bestEffort("closing a PostgreSQL connection", client.end());
  }
}

/** Where statements about the server itself (databases, roles) are run from. */
export const MAINTENANCE_DATABASE = "postgres";

/** Runs `work` connected as the administrator to `database`. */
export function withAdmin<T>(
  admin: PgAdmin,
  database: string,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  return withConnection(adminEndpoint(admin, database), work);
}

/**
 * Runs `work` connected as the administrator to the maintenance database: the one its login
 * names, else `postgres`.
 */
export function onServer<T>(admin: PgAdmin, work: (client: pg.Client) => Promise<T>): Promise<T> {
  return withAdmin(admin, loginOf(admin).database ?? MAINTENANCE_DATABASE, work);
}
