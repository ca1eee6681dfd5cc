// Runs once before the integration suites: fails early, with one clear line, when the
// services that scripts/test starts are not there (e.g. a suite launched by hand).
import { config } from "@gantry/config";
import pg from "pg";

export default async function setup(): Promise<void> {
  const client = new pg.Client({ connectionString: config().DATABASE_URL, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query("SELECT 1 FROM _prisma_migrations LIMIT 1");
  } catch (error) {
    throw new Error(
      `integration tests need a migrated database at DATABASE_URL (run ./scripts/test integration): ${(error as Error).message}`,
    );
  } finally {
    await client.end().catch(() => {});
  }
}
