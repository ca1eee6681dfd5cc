// Prisma 7 CLI configuration, used only for `prisma generate` (the client). Migrations are
// applied by the Prisma 6.19 CLI with its JavaScript schema engine: see prisma/migrate.config.ts.
import { defineConfig } from "prisma/config";

export default defineConfig({ schema: "../../prisma/schema.prisma" });
