import { config, withPassword } from "@gantry/config";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../generated/prisma/client";

export function createPrismaClient(
  connectionString = withPassword("DATABASE_URL", config().DATABASE_URL),
): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString }) });
}

// One client per process. Next.js re-evaluates modules in development; the global keeps a
// single pool across reloads.
const globalForPrisma = globalThis as unknown as { gantryPrisma?: PrismaClient };

export function prisma(): PrismaClient {
  globalForPrisma.gantryPrisma ??= createPrismaClient();
  return globalForPrisma.gantryPrisma;
}
