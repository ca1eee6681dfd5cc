import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { PrismaClient } from "../generated/prisma/client";

const migrationsDir = join(dirname(fileURLToPath(import.meta.url)), "../../../prisma/migrations");

/** The migration folders the code expects, in order. */
export function expectedMigrations(dir = migrationsDir): string[] {
  // The folder is read at run time; the bundler must not try to trace it.
  return readdirSync(/*turbopackIgnore: true*/ dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

export interface MigrationState {
  upToDate: boolean;
  pending: string[];
  failed: string[];
}

/** Compares prisma/migrations with what `_prisma_migrations` records as applied. */
export async function migrationState(db: PrismaClient, dir = migrationsDir): Promise<MigrationState> {
  const rows = await db.$queryRawUnsafe<
    { migration_name: string; finished_at: Date | null; rolled_back_at: Date | null }[]
  >("SELECT migration_name, finished_at, rolled_back_at FROM _prisma_migrations");
  const applied = new Set(
    rows.filter((r) => r.finished_at && !r.rolled_back_at).map((r) => r.migration_name),
  );
  const failed = rows.filter((r) => !r.finished_at && !r.rolled_back_at).map((r) => r.migration_name);
  const pending = expectedMigrations(dir).filter((name) => !applied.has(name));
  return { upToDate: pending.length === 0 && failed.length === 0, pending, failed };
}
