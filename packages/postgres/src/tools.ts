import { execFile } from "node:child_process";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { executableDirs } from "@gantry/config";

const run = promisify(execFile);

/** No PostgreSQL client program of that name is installed. */
export class PgToolMissingError extends Error {
  override readonly name = "PgToolMissingError";
}

export interface PgTool {
  path: string;
  /** e.g. [15, 18] */
  version: number[];
  versionText: string;
}

/** "pg_dump (PostgreSQL) 15.18 (Debian …)" or "15.18" -> [15, 18]. */
export function parsePgVersion(text: string): number[] | undefined {
  const match = /(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(text.replace(/^[^)]*\)\s*/, ""));
  if (!match) return undefined;
  return match
    .slice(1)
    .filter((p) => p !== undefined)
    .map(Number);
}

export function compareVersions(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

const cache = new Map<string, Promise<PgTool>>();

/**
 * The newest installed PostgreSQL client program: Debian keeps one per major version under
 * /usr/lib/postgresql/N/bin, while PATH usually points at a wrapper. Newer clients read and
 * write everything older servers do, so the newest is always the right pick.
 */
export function findPgTool(
  name: "pg_dump" | "pg_restore" | "psql",
  roots = ["/usr/lib/postgresql"],
): Promise<PgTool> {
  const key = `${name}:${roots.join(",")}`;
  let found = cache.get(key);
  if (!found) {
    found = locate(name, roots);
    cache.set(key, found);
    found.catch(() => cache.delete(key));
  }
  return found;
}

async function locate(name: string, roots: string[]): Promise<PgTool> {
  const candidates: string[] = [];
  for (const root of roots) {
    const versions = await readdir(root).catch(() => [] as string[]);
    for (const v of versions) candidates.push(join(root, v, "bin", name));
  }
  for (const dir of executableDirs()) candidates.push(join(dir, name));
  const tools: PgTool[] = [];
  for (const path of candidates) {
    try {
      const { stdout } = await run(path, ["--version"], { timeout: 10_000 });
      const version = parsePgVersion(stdout);
      if (version) tools.push({ path, version, versionText: stdout.trim() });
    } catch {
      // not installed there
    }
  }
  tools.sort((a, b) => compareVersions(b.version, a.version));
  const best = tools[0];
  if (!best) throw new PgToolMissingError(`${name} is not installed (install postgresql-client)`);
  return best;
}
