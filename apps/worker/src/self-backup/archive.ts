// Gantry's own backup: one tar archive holding its database as pg_dump's custom format, the
// state of the data directory that cannot be rebuilt (secrets, the SSH host key and known
// hosts, Caddy's configuration), and a manifest. Builds, filestores, logs and caches are left
// out: builds are made again from git, and production's data has backups of its own.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { cp, mkdir, mkdtemp, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { config } from "@gantry/config";
import { connectionArgs, connectionEnv, findPgTool, type PgLogin, withAdmin } from "@gantry/postgres";

const run = promisify(execFile);

/** Paths under GANTRY_DATA_DIR that an archive carries, when they exist. */
export const KEPT_DATA_PATHS = ["secret", "secrets", "ssh", "caddy/autosave.json", "caddy/initial.json"];

export const ARCHIVE_PATTERN = /^gantry-(\d{8}T\d{6}Z)\.tar$/;

export interface SelfManifest {
  format: 1;
  createdAt: string;
  database: string;
  migrations: number;
  /** Identifies GANTRY_SECRET without revealing it: a restore needs the same key. */
  secretFingerprint: string;
  dataPaths: string[];
}

/** The login of DATABASE_URL and its database name. */
export function ownDatabase(url = config().DATABASE_URL): { login: PgLogin; database: string } {
  const parsed = new URL(url);
  return {
    login: {
      host: parsed.hostname,
      port: parsed.port ? Number(parsed.port) : undefined,
      user: decodeURIComponent(parsed.username),
      password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    },
    database: decodeURIComponent(parsed.pathname.slice(1)),
  };
}

export function secretFingerprint(secret = config().GANTRY_SECRET ?? ""): string {
  return createHash("sha256").update(`gantry-backup:${secret}`).digest("hex").slice(0, 16);
}

function archiveName(at: Date): string {
  return `gantry-${at
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z")}.tar`;
}

export function archiveDate(name: string): Date | undefined {
  const match = ARCHIVE_PATTERN.exec(name);
  if (!match) return undefined;
  const s = match[1]!;
  return new Date(
    `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}Z`,
  );
}

/** Runs pg_dump or pg_restore on the login's server, its password in the environment only. */
export async function runPgTool(
  name: "pg_dump" | "pg_restore",
  login: PgLogin,
  args: string[],
): Promise<void> {
  const tool = await findPgTool(name);
  await run(tool.path, [...connectionArgs(login), ...args], {
    env: connectionEnv(login),
    maxBuffer: 16 * 1024 * 1024,
  });
}

/** How many migrations a Gantry database records as applied. */
export async function appliedMigrations(login: PgLogin, database: string): Promise<number> {
  return withAdmin(login, database, async (client) => {
    const { rows } = await client.query<{ n: string }>(
      "SELECT count(*) AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL",
    );
    return Number(rows[0]!.n);
  });
}

/** Writes the archive into `dir` (under a temporary name until complete) and returns its path. */
export async function writeSelfArchive(
  dir: string,
  now = new Date(),
): Promise<{ path: string; manifest: SelfManifest }> {
  const { login, database } = ownDatabase();
  const dataDir = config().GANTRY_DATA_DIR;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const staging = await mkdtemp(join(dir, ".staging-"));
  try {
    const migrations = await appliedMigrations(login, database);
    await runPgTool("pg_dump", login, [
      "--format=custom",
      "--no-owner",
      "--file",
      join(staging, "database.dump"),
      "--dbname",
      database,
    ]);
    const dataPaths: string[] = [];
    for (const path of KEPT_DATA_PATHS) {
      const from = join(dataDir, path);
      if (!(await stat(from).catch(() => null))) continue;
      await cp(from, join(staging, "data", path), { recursive: true, preserveTimestamps: true });
      dataPaths.push(path);
    }
    const manifest: SelfManifest = {
      format: 1,
      createdAt: now.toISOString(),
      database,
      migrations,
      secretFingerprint: secretFingerprint(),
      dataPaths,
    };
    await writeFile(join(staging, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    const path = join(dir, archiveName(now));
    const partial = `${path}.partial`;
    await run("tar", [
      "-C",
      staging,
      "-cf",
      partial,
      "manifest.json",
      "database.dump",
      ...(dataPaths.length ? ["data"] : []),
    ]);
    await rename(partial, path);
    return { path, manifest };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
