import { resetConfigForTests } from "@gantry/config";
import { cloneTestDatabase, type ScratchDatabase } from "../../support/databases";

/** Points this test file at its own fresh copy of the migrated database. */
export async function useScratchDatabase(): Promise<ScratchDatabase> {
  const db = await cloneTestDatabase("access");
  process.env.DATABASE_URL = db.url;
  resetConfigForTests();
  return db;
}
