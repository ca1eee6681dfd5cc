// Prisma 6.19 CLI configuration for `migrate deploy` and `migrate diff`. Its JavaScript schema
// engine talks to PostgreSQL through the pg driver adapter, so no native engine is needed.
//
// prisma/schema.prisma is written for Prisma 7 (no `url` in the datasource block), while the
// 6.19 CLI insists on one: it gets a derived copy with the line added, regenerated on each run.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { config } from "@gantry/config";
import { PrismaPg } from "@prisma/adapter-pg";
import { defineConfig } from "prisma-migrate/config";

const here = dirname(fileURLToPath(import.meta.url));
const source = join(here, "../../prisma/schema.prisma");
const derived = join(here, "generated/migrate/schema.prisma");
const schema = readFileSync(source, "utf8").replace(
  /datasource db \{\n {2}provider = "postgresql"\n/,
  'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n',
);
mkdirSync(dirname(derived), { recursive: true });
writeFileSync(derived, schema);

// The derived schema reads the url from the environment; give it the validated value.
const connectionString = config().DATABASE_URL;
process.env.DATABASE_URL = connectionString;

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: derived,
  migrations: { path: join(here, "../../prisma/migrations") },
  adapter: async () => new PrismaPg({ connectionString }),
});
