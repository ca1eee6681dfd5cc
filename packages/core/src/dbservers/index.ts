// The registry of PostgreSQL servers builds run on, and which one serves a project's stage:
// the project's own mapping first, else the server whose defaultStages include the stage.
// Admin passwords are stored encrypted under GANTRY_SECRET and decrypted only here.
import { config, type DatabaseUrlName, withPassword } from "@gantry/config";
import { prisma } from "@gantry/db";
import { decrypt, encrypt, SecretBoxError } from "@gantry/secrets";
import type { Stage } from "../access";
import { AppError } from "../errors";
import { secretKey } from "../secret-key";
import { poolOf } from "./pool";

export { poolName, poolOf } from "./pool";

export interface DbServerConnection {
  id: string;
  name: string;
  host: string;
  port: number;
  adminUser: string;
  adminPassword: string;
  /** The pool of nodes its stages' builds run on; null: the pool named after each stage. */
  pool: string | null;
}

function secret(): string {
  return secretKey("database server credentials");
}

function parseServerUrl(
  name: DatabaseUrlName,
  url: string,
): { host: string; port: number; user: string; password: string } {
  const parsed = new URL(withPassword(name, url));
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 5432),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
  };
}

/**
 * Registers the two servers of the configuration when missing: "main" (production and
 * staging) and "dev" (development builds), as Odoo.sh splits them. Existing rows are kept (an
 * administrator may have changed them), but one still at the configured address takes the
 * configured administrator and password: the scripts set generated ones on the server. That
 * also re-keys a password stored under an earlier GANTRY_SECRET.
 */
export async function ensureDefaultDbServers(): Promise<void> {
  const defaults: { name: string; variable: DatabaseUrlName; stages: Stage[] }[] = [
    { name: "main", variable: "BUILD_DATABASE_URL", stages: ["PRODUCTION", "STAGING"] },
    { name: "dev", variable: "BUILD_DEV_DATABASE_URL", stages: ["DEVELOPMENT"] },
  ];
  for (const server of defaults) {
    const { host, port, user, password } = parseServerUrl(server.variable, config()[server.variable]);
    const existing = await prisma().dbServer.findUnique({ where: { name: server.name } });
    if (existing?.host === host && existing.port === port) {
      if (existing.adminUser !== user || storedPassword(existing.adminPasswordEnc) !== password) {
        await prisma().dbServer.update({
          where: { id: existing.id },
          data: { adminUser: user, adminPasswordEnc: encrypt(password, secret()) },
        });
      }
      continue;
    }
    await prisma().dbServer.upsert({
      where: { name: server.name },
      update: {},
      create: {
        name: server.name,
        host,
        port,
        adminUser: user,
        adminPasswordEnc: encrypt(password, secret()),
        defaultStages: server.stages,
      },
    });
  }
}

/** The stored password, or null when it does not open under today's GANTRY_SECRET (rotated). */
function storedPassword(encrypted: string): string | null {
  try {
    return decrypt(encrypted, secret());
  } catch (error) {
    if (error instanceof SecretBoxError) return null;
    throw error;
  }
}

function toConnection(row: {
  id: string;
  name: string;
  host: string;
  port: number;
  adminUser: string;
  adminPasswordEnc: string;
  pool: string | null;
}): DbServerConnection {
  return {
    id: row.id,
    name: row.name,
    host: row.host,
    port: row.port,
    adminUser: row.adminUser,
    adminPassword: decrypt(row.adminPasswordEnc, secret()),
    pool: row.pool,
  };
}

export async function dbServerForStage(projectId: string, stage: Stage): Promise<DbServerConnection> {
  const mapped = await prisma().projectDbServer.findUnique({
    where: { projectId_stage: { projectId, stage } },
    include: { server: true },
  });
  if (mapped) return toConnection(mapped.server);
  await ensureDefaultDbServers();
  const server = await prisma().dbServer.findFirst({
    where: { defaultStages: { has: stage } },
    orderBy: { createdAt: "asc" },
  });
  if (!server)
    throw new AppError("unavailable", `no database server serves the ${stage.toLowerCase()} stage`);
  return toConnection(server);
}

/** The pool of nodes where the project's builds of this stage run: its server's. */
export async function poolForStage(projectId: string, stage: Stage): Promise<string> {
  return poolOf(await dbServerForStage(projectId, stage), stage);
}

export async function dbServerById(id: string): Promise<DbServerConnection> {
  const server = await prisma().dbServer.findUnique({ where: { id } });
  if (!server) throw new AppError("not_found", `database server ${id} not found`);
  return toConnection(server);
}

export async function listDbServers(): Promise<DbServerConnection[]> {
  await ensureDefaultDbServers();
  const rows = await prisma().dbServer.findMany({ orderBy: { createdAt: "asc" } });
  return rows.map(toConnection);
}
