// One connection with the admin role for the backup module's own statements, and the check
// every database or role name passes before it is written into SQL text.
import type { PgConnection } from "@gantry/backup";
import pg from "pg";

export async function withPg<T>(
  conn: PgConnection,
  database: string,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({
    host: conn.host,
    port: conn.port,
    user: conn.user,
    password: conn.password,
    database,
  });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** A database or role name of Gantry's making, double-quoted; anything else is refused. */
export function ident(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`unsafe identifier ${JSON.stringify(name)}`);
  return `"${name}"`;
}
