// Shared by the build suites: a scratch Gantry database, a Redis prefix, a data dir, the
// fixture repositories, and rows for a project, a branch and its builds.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmod, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { resetConfigForTests } from "@gantry/config";
import pg from "pg";
import { DEV_CLUSTER } from "../../support/clusters";
import { cloneTestDatabase, type ScratchDatabase } from "../../support/databases";
import { makeReposArgs, missingImageHint } from "../../support/odoo-target";
import { onSwarm, useBuildSwarm } from "../../support/swarm/build-swarm";
import type { SwarmInfo } from "../../support/swarm/cluster";

const run = promisify(execFile);
const repoRoot = resolve(import.meta.dirname, "../../..");

export interface BuildTestEnv {
  db: ScratchDatabase;
  prefix: string;
  dataDir: string;
  repos: string;
  /** The test Swarm the runtime is pointed at, when the suites run with RUNTIME=swarm. */
  swarm?: SwarmInfo;
}

// The test database every scratch copy starts from, read before the first call points
// DATABASE_URL at its copy: a file that makes a second environment clones the same database,
// not the first copy (dropped by then).
let testDatabaseUrl: string | undefined;

/**
 * Points config at a scratch database and data dir; must run before @gantry/db is imported.
 * With `swarm` (by default RUNTIME=swarm, the test command's switch) it also forms the file's
 * test Swarm and points the runtime at it (tests/support/swarm/build-swarm.ts).
 */
export async function useBuildTestEnv(options: { swarm?: boolean } = {}): Promise<BuildTestEnv> {
  testDatabaseUrl ??= process.env.DATABASE_URL;
  if (testDatabaseUrl) process.env.DATABASE_URL = testDatabaseUrl;
  resetConfigForTests();
  const db = await cloneTestDatabase("builds");
  const prefix = `test-${randomBytes(5).toString("hex")}`;
  const makeDataDir = async (parent = tmpdir()) => {
    const dir = await mkdtemp(join(parent, "gantry-builds-data-"));
    await chmod(dir, 0o755);
    return dir;
  };
  const { dataDir, cluster: swarm } =
    (options.swarm ?? onSwarm())
      ? await useBuildSwarm(prefix, makeDataDir)
      : { dataDir: await makeDataDir() };
  process.env.DATABASE_URL = db.url;
  process.env.GANTRY_DATA_DIR = dataDir;
  process.env.GANTRY_SECRET ??= randomBytes(24).toString("hex");
  resetConfigForTests();
  const repos = await mkdtemp(join(tmpdir(), "gantry-builds-repos-"));
  await run(join(repoRoot, "tests/fixtures/make-repos"), makeReposArgs(repos));
  return { db, prefix, dataDir, repos, swarm };
}

export async function shaOf(bareRepo: string, branch: string): Promise<string> {
  const { stdout } = await run("git", ["--git-dir", bareRepo, "rev-parse", `refs/heads/${branch}`]);
  return stdout.trim();
}

export async function requireImage(tag: string): Promise<void> {
  try {
    await run("docker", ["image", "inspect", tag]);
  } catch {
    throw new Error(missingImageHint(tag));
  }
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  deadlineMs: number,
): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ""}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The development builds' PostgreSQL cluster, as its administrator (what builds leave behind). */
export { DEV_CLUSTER };

export async function devQuery(sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  const client = new pg.Client(DEV_CLUSTER);
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/**
 * The status of a served build's /web/login, at the address its runtime publishes it on
 * (127.0.0.1 on one host, the node running its task on a Swarm).
 */
export async function loginStatus(build: {
  containerName: string | null;
  httpPort: number | null;
}): Promise<number> {
  const { runtimeFromConfig } = await import("@gantry/runtime");
  const address = await runtimeFromConfig().publishedAddress(
    build.containerName as string,
    build.httpPort as number,
  );
  const response = await fetch(`http://${address}/web/login`);
  await response.text();
  return response.status;
}
