// Points this process at one Gantry database: the configuration and the process's one Prisma
// client (which would otherwise stay on whatever database an earlier step of the run opened).
import { resetConfigForTests } from "@gantry/config";

export async function useGantryDatabase(url: string): Promise<void> {
  const holder = globalThis as { gantryPrisma?: { $disconnect(): Promise<void> } };
  await holder.gantryPrisma?.$disconnect().catch(() => {});
  holder.gantryPrisma = undefined;
  process.env.DATABASE_URL = url;
  resetConfigForTests();
}
