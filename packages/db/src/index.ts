export * from "../generated/prisma/client";
export { createPrismaClient, prisma } from "./client";
export { expectedMigrations, type MigrationState, migrationState } from "./migrations";
export { isDatabaseUnavailable } from "./unavailable";
