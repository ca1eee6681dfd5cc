import pg from "pg";
import { z } from "zod";

/** Where a database lives; the password reaches child processes only through PGPASSWORD. */
export const pgConnectionSchema = z.object({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(5432),
  user: z.string().min(1),
  password: z.string().optional(),
  database: z.string().min(1).max(63),
});
export type PgConnection = z.input<typeof pgConnectionSchema>;

/** Arguments common to pg_dump and psql; the database name goes last via --dbname. */
export function connectionArgs(conn: PgConnection): string[] {
  const c = pgConnectionSchema.parse(conn);
  return ["--host", c.host, "--port", String(c.port), "--username", c.user, "--no-password"];
}

/** The child's environment: the parent's, with PGPASSWORD set and libpq defaults cleared. */
export function connectionEnv(conn: PgConnection): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of ["PGDATABASE", "PGSERVICE", "PGOPTIONS", "PGPASSFILE"]) delete env[key];
  if (conn.password !== undefined) env.PGPASSWORD = conn.password;
  else delete env.PGPASSWORD;
  return env;
}

export function pgClient(conn: PgConnection, database = conn.database): pg.Client {
  const c = pgConnectionSchema.parse(conn);
  return new pg.Client({ host: c.host, port: c.port, user: c.user, password: c.password, database });
}

export async function withClient<T>(
  conn: PgConnection,
  run: (client: pg.Client) => Promise<T>,
  database?: string,
): Promise<T> {
  const client = pgClient(conn, database);
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Double-quotes an identifier for SQL text (database names cannot be bound parameters). */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
