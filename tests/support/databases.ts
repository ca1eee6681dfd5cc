// Each test file that writes to Gantry's database gets its own copy, cloned from the migrated
// test database (CREATE DATABASE ... TEMPLATE), and dropped afterwards.
import { randomBytes } from "node:crypto";
import { config } from "@gantry/config";
import pg from "pg";

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

async function admin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabase(config().DATABASE_URL, "postgres") });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

export interface ScratchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A fresh, migrated, empty Gantry database for one test file. */
export async function cloneTestDatabase(prefix = "t"): Promise<ScratchDatabase> {
  const template = new URL(config().DATABASE_URL).pathname.slice(1);
  const name = `${template}_${prefix}_${randomBytes(4).toString("hex")}`;
  // The template may be held a moment by someone else (a migration, a process checking it):
  // PostgreSQL then refuses the copy (55006, object_in_use), and it is asked again.
  for (let attempt = 1; ; attempt++) {
    try {
      await admin((c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
      break;
    } catch (error) {
      if ((error as { code?: string }).code !== "55006" || attempt >= 30) throw error;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  return {
    name,
    url: withDatabase(config().DATABASE_URL, name),
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}
