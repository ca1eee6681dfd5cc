// Administrator connections for benchmarks: the credentials of a configured database URL
// (Gantry's own cluster or a build cluster), a one-shot query, and the size of a database.
import pg from "pg";
import type { PgConnection } from "../../../packages/backup/src/index";

/** Every field present: benchmarks also hand them to pg_dump, psql and PGPASSWORD. */
export type AdminConnection = Required<PgConnection>;

export function adminOf(databaseUrl: string, database = "postgres"): AdminConnection {
  const url = new URL(databaseUrl);
  return {
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database,
  };
}

/** One statement (or a script of several) on its own connection, closed after. */
export async function queryOn<T extends pg.QueryResultRow>(
  connection: PgConnection,
  text: string,
): Promise<T[]> {
  const client = new pg.Client(connection);
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}
