// Validates the environment and reaches the database before anything starts, so that a wrong
// value stops start-up with one line naming the variable instead of a stack trace later.
import { ConfigError, config } from "@gantry/config";
import pg from "pg";

function fail(message: string): never {
  console.error(`error: ${message}`);
  process.exit(2);
}

try {
  config();
} catch (error) {
  if (error instanceof ConfigError) fail(error.message);
  throw error;
}

const url = new URL(config().DATABASE_URL);
const shown = `${url.protocol}//${url.username ? `${url.username}@` : ""}${url.host}${url.pathname}`;
const client = new pg.Client({ connectionString: config().DATABASE_URL, connectionTimeoutMillis: 5000 });
try {
  await client.connect();
  await client.query("SELECT 1");
} catch (error) {
  fail(`DATABASE_URL: cannot connect to ${shown}: ${(error as Error).message}`);
} finally {
  await client.end().catch(() => {});
}
