// The whole platform for a benchmark, everything real but GitHub (the project's stand-in) and
// Odoo (the stand-in image): a Gantry database of the benchmark's own (migrated), the webhook
// route handler served over HTTP, a project connected through the stand-in with a bare fixture
// repository, and a worker process started as production starts it. Shared by the benchmarks
// that drive builds through pushes (builds.ts, webhook-burst.ts).
//
// benchEnvironment() must run before any Gantry package reads its configuration: it points
// this process (and the worker it starts) at the benchmark's database, data dir and Redis prefix.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, rm } from "node:fs/promises";
import os from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { config, resetConfigForTests } from "@gantry/config";
import pg from "pg";

export const run = promisify(execFile);
export const root = resolve(import.meta.dirname, "../../..");

export interface BenchEnvironment {
  dbName: string;
  dir: string;
  adminUrl: URL;
}

/**
 * A bench's database, data dir and Redis prefix, named after it; BENCH_INSTANCE (letters,
 * digits) adds to the name so that two runs of one bench on a machine keep apart.
 */
export function benchEnvironment(bench: string): BenchEnvironment {
  const instance = process.env.BENCH_INSTANCE;
  if (instance !== undefined && !/^[a-z0-9]{1,20}$/.test(instance))
    throw new Error("BENCH_INSTANCE takes 1 to 20 lower-case letters and digits");
  const name = instance ? `${bench}-${instance}` : bench;
  const base = config();
  const dbName = `gantry_bench_${name.replaceAll("-", "_")}`;
  const dbUrl = new URL(base.DATABASE_URL);
  dbUrl.pathname = `/${dbName}`;
  const adminUrl = new URL(base.DATABASE_URL);
  adminUrl.pathname = "/postgres";
  const dir = resolve(base.GANTRY_DATA_DIR, "bench", name);
  Object.assign(process.env, {
    DATABASE_URL: dbUrl.toString(),
    GANTRY_DATA_DIR: join(dir, "data"),
    GANTRY_SECRET: base.GANTRY_SECRET ?? randomBytes(24).toString("hex"),
    REDIS_PREFIX: `gantry-bench-${name}-${randomBytes(3).toString("hex")}`,
    BUILD_IDLE_MINUTES: "0",
    LOG_LEVEL: "warn",
  });
  resetConfigForTests();
  return { dbName, dir, adminUrl };
}

export async function git(dir: string, ...gitArgs: string[]): Promise<string> {
  const { stdout } = await run("git", ["-C", dir, "-c", "commit.gpgsign=false", ...gitArgs], {
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "Bench",
      GIT_AUTHOR_EMAIL: "bench@example.com",
      GIT_COMMITTER_NAME: "Bench",
      GIT_COMMITTER_EMAIL: "bench@example.com",
    },
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout.trim();
}

async function adminQuery(env: BenchEnvironment, sql: string, params: unknown[] = []) {
  const client = new pg.Client({ connectionString: env.adminUrl.toString() });
  await client.connect();
  try {
    return await client.query(sql, params);
  } finally {
    await client.end();
  }
}

/** What a previous run left (containers, build databases, templates), then its database. */
export async function removeBenchData(env: BenchEnvironment): Promise<void> {
  const exists = await adminQuery(env, "SELECT 1 FROM pg_database WHERE datname = $1", [env.dbName]);
  if (exists.rowCount) {
    const { prisma } = await import("@gantry/db");
    const { DockerRuntime } = await import("../../../packages/runtime/src/index");
    const { cleanupBuild } = await import("../../../apps/worker/src/builds/cleanup");
    const { dropDatabase, dropRole } = await import("../../../packages/postgres/src/index");
    const { templateRoleOf } = await import("../../../apps/worker/src/builds/templates");
    const { dbServerById } = await import("@gantry/core");
    const runtime = new DockerRuntime();
    try {
      for (const build of await prisma().build.findMany({ where: { cleanedAt: null } })) {
        await cleanupBuild(runtime, build.id).catch(() => {});
      }
      for (const template of await prisma().templateDatabase.findMany()) {
        const server = await dbServerById(template.serverId);
        await dropDatabase(server, template.name).catch(() => {});
        await dropRole(server, templateRoleOf(template.name)).catch(() => {});
      }
    } catch {
      // A database of an older schema: its rows cannot be read; drop it all the same.
    }
    await prisma().$disconnect();
    // The next use opens a new pool on the re-created database.
    (globalThis as { gantryPrisma?: unknown }).gantryPrisma = undefined;
  }
  await adminQuery(env, `DROP DATABASE IF EXISTS "${env.dbName}" WITH (FORCE)`);
}

/** A fresh, migrated database for the benchmark and its data folder. */
export async function freshBenchDatabase(env: BenchEnvironment): Promise<void> {
  await removeBenchData(env);
  await adminQuery(env, `CREATE DATABASE "${env.dbName}"`);
  await run(join(root, "scripts/db"), ["migrate"]);
  await mkdir(join(env.dir, "data"), { recursive: true });
}

export interface WorkerProcess {
  child: ChildProcess;
  ready: Promise<void>;
  stop(): Promise<void>;
}

/** The worker as production starts it, on this benchmark's database, Redis prefix and data dir. */
export function startWorkerProcess(env: Record<string, string>): WorkerProcess {
  const child = spawn(join(root, "node_modules/.bin/tsx"), ["apps/worker/src/main.ts"], {
    cwd: root,
    env: { ...process.env, ...env, LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let pending = "";
  const ready = new Promise<void>((resolveReady, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      const lines = (pending + chunk.toString()).split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        if (line.includes('"worker ready"')) resolveReady();
        if (/"level":(50|60)/.test(line)) process.stderr.write(`worker: ${line}\n`);
      }
    });
    child.on("exit", (code) => reject(new Error(`the worker exited (${code}) before it was ready`)));
  });
  return {
    child,
    ready,
    stop: () =>
      new Promise<void>((resolveStop) => {
        if (child.exitCode !== null) return resolveStop();
        child.once("exit", () => resolveStop());
        child.kill("SIGTERM");
      }),
  };
}

/** Polls `probe` every `everyMs` until it gives a value; throws after `deadlineMs`. */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  deadlineMs: number,
  everyMs: number,
): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export interface Platform {
  gh: import("../../../tests/support/github-standin").GithubStandin;
  repo: import("../../../tests/support/github-standin").StandinRepo;
  projectId: string;
  /** Starts a worker process against this platform (GitHub stand-in and public URL set). */
  startWorker(): WorkerProcess;
  /** A push of `before..after` on `branch` delivered as GitHub delivers it (signed); `guid` repeats a delivery. */
  deliverPush(
    branch: string,
    commit: { before: string; after: string; message: string },
    guid?: string,
  ): Promise<{ status: number; outcome: string; guid: string }>;
  close(): Promise<void>;
}

/**
 * The GitHub stand-in serving `bare` as `bench/<name>`, the webhook route over HTTP, an
 * administrator and a project connected through the stand-in, cloning from disk.
 */
export async function startPlatform(opts: {
  bare: string;
  name: string;
  series: string;
  defaultBranch: string;
}): Promise<Platform> {
  const { startGithubStandin } = await import("../../../tests/support/github-standin");
  const { serveWebhookRoute } = await import("../../../tests/integration/github-flow/setup");
  const gh = await startGithubStandin();
  const route = await serveWebhookRoute();
  const publicUrl = new URL(route.url).origin;
  Object.assign(process.env, { GITHUB_API_URL: gh.url, PUBLIC_URL: publicUrl });
  resetConfigForTests();
  const core = await import("@gantry/core");
  const { prisma } = await import("@gantry/db");

  const token = `ghp_bench${randomBytes(8).toString("hex")}`;
  gh.addToken(token);
  const repo = gh.addRepo({
    owner: "bench",
    name: opts.name,
    gitDir: opts.bare,
    defaultBranch: opts.defaultBranch,
  });
  const admin = await core.createUserWithPassword({
    email: `bench-${randomBytes(3).toString("hex")}@example.com`,
    name: "Bench",
    password: randomBytes(12).toString("hex"),
    isAdmin: true,
  });
  const actor = { userId: admin.id, isAdmin: true, memberships: {}, tokenProjectIds: null };
  const project = await core.createProject(actor, { name: "Bench", repository: `bench/${opts.name}` });
  await core.connectGithub(actor, project.id, { kind: "token", token });
  // The worker clones the fixture from disk; statuses still go to the stand-in.
  await prisma().project.update({
    where: { id: project.id },
    data: { gitUrl: opts.bare, odooSeries: opts.series },
  });

  return {
    gh,
    repo,
    projectId: project.id,
    startWorker: () => startWorkerProcess({ GITHUB_API_URL: gh.url, PUBLIC_URL: publicUrl }),
    async deliverPush(branch, commit, guid) {
      const payload = {
        ref: `refs/heads/${branch}`,
        before: commit.before,
        after: commit.after,
        created: false,
        deleted: false,
        forced: false,
        repository: {
          id: repo.id,
          name: opts.name,
          full_name: `bench/${opts.name}`,
          owner: { login: "bench" },
        },
        pusher: { name: "bench", email: "bench@example.com" },
        sender: { login: "bench" },
        head_commit: {
          id: commit.after,
          message: commit.message,
          timestamp: new Date().toISOString(),
          author: { name: "Bench", email: "bench@example.com" },
        },
        commits: [],
      };
      const [delivery] = await gh.deliver(repo, "push", payload, guid);
      if (!delivery) throw new Error("the stand-in has no hook to deliver to");
      let outcome = "";
      try {
        const answer = JSON.parse(delivery.response.payload) as { outcome?: unknown } | null;
        if (typeof answer?.outcome === "string") outcome = answer.outcome;
      } catch {
        // Not JSON: no outcome to read.
      }
      return { status: delivery.status_code, outcome, guid: delivery.guid };
    },
    async close() {
      // The route reports builds to GitHub after answering: let the last reports land.
      await new Promise((r) => setTimeout(r, 1000));
      route.server.close();
      await gh.close();
      const { closeDefaultQueueContext } = await import("../../../packages/queue/src/index");
      await closeDefaultQueueContext();
      await prisma().$disconnect();
    },
  };
}

/** The machine a benchmark ran on, printed first: cores, memory, load, date. */
export function machineLine(): string {
  const { cpus, loadavg, totalmem } = os;
  const load = loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");
  return `machine: ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, load ${load}; ${new Date().toISOString()}`;
}

/** `--clean`: the benchmark's database and data removed; true when it was asked for. */
export async function cleanIfAsked(env: BenchEnvironment, asked: boolean): Promise<boolean> {
  if (!asked) return false;
  await removeBenchData(env);
  await rm(env.dir, { recursive: true, force: true });
  console.log("bench data removed");
  return true;
}

/** The value below which `p` percent of `values` fall. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? Number.NaN;
}
