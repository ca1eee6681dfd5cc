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
  await admin((c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
  return {
    name,
    url: withDatabase(config().DATABASE_URL, name),
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}
