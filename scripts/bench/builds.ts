// Builds benchmark: what the platform adds around Odoo, and what the template cache saves.
//
//   pnpm exec tsx scripts/bench/builds.ts [--pushes N] [--only overhead|template] [--clean]
//
// Everything real but GitHub (the project's stand-in) and Odoo (the stand-in image): a
// Gantry database of its own (gantry_bench_builds, migrated), the webhook route handler served
// over HTTP, a worker process started as production starts it, Docker, the development
// PostgreSQL cluster and Caddy. A fixture repository under <data dir>/bench/builds gets a new
// commit per push, delivered by the stand-in as GitHub delivers it (signed).
//
//   overhead:  median over N pushes (default 5) of a small module (depends on base), template
//              warm: (1) signed delivery sent -> first Odoo container started (Docker's start
//              event), (2) Odoo's /web/health first answering (polled every 10 ms) -> the final
//              commit status received by the GitHub stand-in. Goal: median total <= 2 s.
//   template:  a development build of a module depending on sale, stock and account with its
//              template removed first, then the same build again with the template cached:
//              build times (started -> finished) and their ratio. Goal >= 5x.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { cpus, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { config, resetConfigForTests } from "@gantry/config";
import pg from "pg";

const run = promisify(execFile);
const root = resolve(import.meta.dirname, "../..");
const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};

// The environment of this process and of the worker it starts: the installation's settings,
// then this benchmark's database, data dir and Redis prefix, set before any package reads them.
const base = config();
const baseUrl = new URL(base.DATABASE_URL);
const benchDbName = "gantry_bench_builds";
const benchDbUrl = new URL(base.DATABASE_URL);
benchDbUrl.pathname = `/${benchDbName}`;
const benchDir = resolve(base.GANTRY_DATA_DIR, "bench", "builds");
const prefix = `gantry-bench-builds-${randomBytes(3).toString("hex")}`;
Object.assign(process.env, {
  DATABASE_URL: benchDbUrl.toString(),
  GANTRY_DATA_DIR: join(benchDir, "data"),
  GANTRY_SECRET: base.GANTRY_SECRET ?? randomBytes(24).toString("hex"),
  REDIS_PREFIX: prefix,
  BUILD_IDLE_MINUTES: "0",
  LOG_LEVEL: "warn",
});
resetConfigForTests();

const SERIES = "17.0";
const bare = join(benchDir, "repos", "bench17.git");

async function git(dir: string, ...gitArgs: string[]): Promise<string> {
  const { stdout } = await run("git", ["-C", dir, "-c", "commit.gpgsign=false", ...gitArgs], {
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "Bench",
      GIT_AUTHOR_EMAIL: "bench@example.com",
      GIT_COMMITTER_NAME: "Bench",
      GIT_COMMITTER_EMAIL: "bench@example.com",
    },
  });
  return stdout.trim();
}

// ---------------------------------------------------------------- fixture repository

const manifest = (name: string, depends: string[]) => `{
    'name': '${name}',
    'version': '${SERIES}.1.0.0',
    'depends': ${JSON.stringify(depends).replaceAll('"', "'")},
    'data': [],
    'license': 'LGPL-3',
    'installable': True,
}
`;
const testFile = (cls: string) => `from odoo.tests import TransactionCase


class ${cls}(TransactionCase):
    def test_installed(self):
        self.assertTrue(self.env["ir.module.module"].search_count([]) > 0)
`;

async function writeModule(dir: string, name: string, depends: string[]): Promise<void> {
  await mkdir(join(dir, name, "tests"), { recursive: true });
  await writeFile(join(dir, name, "__init__.py"), "");
  await writeFile(join(dir, name, "__manifest__.py"), manifest(name, depends));
  await writeFile(join(dir, name, "tests", "__init__.py"), "from . import test_bench\n");
  await writeFile(join(dir, name, "tests", "test_bench.py"), testFile("TestBench"));
}

/** A work tree with two branches: `small` (a module on base) and `shop` (on sale, stock, account). */
async function makeRepository(): Promise<string> {
  const work = join(benchDir, "repos", "work");
  await rm(join(benchDir, "repos"), { recursive: true, force: true });
  await mkdir(work, { recursive: true });
  await run("git", ["init", "-q", "--bare", "-b", "small", bare]);
  await run("git", ["init", "-q", "-b", "small", work]);
  await writeModule(work, "bench_small", ["base"]);
  await git(work, "add", "-A");
  await git(work, "commit", "-q", "-m", "bench_small");
  await git(work, "checkout", "-q", "-b", "shop");
  await rm(join(work, "bench_small"), { recursive: true });
  await writeModule(work, "bench_shop", ["sale", "stock", "account"]);
  await git(work, "add", "-A");
  await git(work, "commit", "-q", "-m", "bench_shop");
  await git(work, "remote", "add", "origin", bare);
  await git(work, "push", "-q", "origin", "small", "shop");
  return work;
}

/** A new commit on `branch`, pushed to the bare repository; returns its id. */
async function newCommit(
  work: string,
  branch: string,
  n: number,
): Promise<{ before: string; after: string }> {
  await git(work, "checkout", "-q", branch);
  const before = await git(work, "rev-parse", "HEAD");
  await writeFile(join(work, "PUSHES.txt"), `push ${n} ${new Date().toISOString()}\n`);
  await git(work, "add", "PUSHES.txt");
  await git(work, "commit", "-q", "-m", `push ${n}`);
  await git(work, "push", "-q", "origin", branch);
  return { before, after: await git(work, "rev-parse", "HEAD") };
}

// ---------------------------------------------------------------- services

async function adminQuery(sql: string): Promise<void> {
  const url = new URL(baseUrl.toString());
  url.pathname = "/postgres";
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function benchDbExists(): Promise<boolean> {
  const url = new URL(baseUrl.toString());
  url.pathname = "/postgres";
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return (
      ((await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [benchDbName])).rowCount ?? 0) > 0
    );
  } finally {
    await client.end();
  }
}

/** What a previous run left (containers, build databases, templates), then its database. */
async function removeBenchData(): Promise<void> {
  if (await benchDbExists()) {
    const { prisma } = await import("@gantry/db");
    const { DockerRuntime } = await import("../../packages/runtime/src/index");
    const { cleanupBuild } = await import("../../apps/worker/src/builds/cleanup");
    const { dropDatabase, dropRole } = await import("../../packages/postgres/src/index");
    const { templateRoleOf } = await import("../../apps/worker/src/builds/templates");
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
  await adminQuery(`DROP DATABASE IF EXISTS "${benchDbName}" WITH (FORCE)`);
}

interface WorkerProcess {
  child: ChildProcess;
  ready: Promise<void>;
  stop(): Promise<void>;
}

/** The worker as production starts it, on this benchmark's database, Redis prefix and data dir. */
function startWorkerProcess(env: Record<string, string>): WorkerProcess {
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

/** Docker's start events of the benchmark project's containers, with the engine's own times. */
function watchContainerStarts(projectId: string) {
  const starts: { build: string; role: string; at: number }[] = [];
  const child = spawn(
    "docker",
    [
      "events",
      "--format",
      "{{json .}}",
      "--filter",
      "type=container",
      "--filter",
      "event=start",
      "--filter",
      `label=gantry.project=${projectId}`,
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  let pending = "";
  child.stdout.on("data", (chunk: Buffer) => {
    const lines = (pending + chunk.toString()).split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) {
      if (!line.trim()) continue;
      const event = JSON.parse(line) as { timeNano: number; Actor: { Attributes: Record<string, string> } };
      starts.push({
        build: event.Actor.Attributes["gantry.build"] ?? "",
        role: event.Actor.Attributes["gantry.role"] ?? "",
        at: event.timeNano / 1e6,
      });
    }
  });
  return { starts, stop: () => child.kill() };
}

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  deadlineMs: number,
  everyMs: number,
) {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const only = option("--only", "");
  const pushes = Number(option("--pushes", "5"));
  if (args.includes("--clean")) {
    await removeBenchData();
    await rm(benchDir, { recursive: true, force: true });
    console.log("bench data removed");
    return;
  }
  await run("docker", ["image", "inspect", `gantry/odoo:${SERIES}`]).catch(() => {
    throw new Error(`image gantry/odoo:${SERIES} is missing: run docker/build-images`);
  });
  console.log(
    `machine: ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB; ${new Date().toISOString()}`,
  );
  await removeBenchData();
  await adminQuery(`CREATE DATABASE "${benchDbName}"`);
  await run(join(root, "scripts/db"), ["migrate"]);
  await mkdir(join(benchDir, "data"), { recursive: true });
  const work = await makeRepository();

  const { startGithubStandin } = await import("../../tests/support/github-standin");
  const { serveWebhookRoute } = await import("../../tests/integration/github-flow/setup");
  const gh = await startGithubStandin();
  const route = await serveWebhookRoute();
  const publicUrl = new URL(route.url).origin;
  Object.assign(process.env, { GITHUB_API_URL: gh.url, PUBLIC_URL: publicUrl });
  resetConfigForTests();
  const core = await import("@gantry/core");
  const { prisma } = await import("@gantry/db");

  const token = `ghp_bench${randomBytes(8).toString("hex")}`;
  gh.addToken(token);
  const repo = gh.addRepo({ owner: "bench", name: "bench17", gitDir: bare, defaultBranch: "small" });
  const admin = await core.createUserWithPassword({
    email: `bench-${randomBytes(3).toString("hex")}@example.com`,
    name: "Bench",
    password: randomBytes(12).toString("hex"),
    isAdmin: true,
  });
  const actor = { userId: admin.id, isAdmin: true, memberships: {}, tokenProjectIds: null };
  const project = await core.createProject(actor, { name: "Bench", repository: "bench/bench17" });
  await core.connectGithub(actor, project.id, { kind: "token", token });
  // The worker clones the fixture from disk; statuses still go to the stand-in.
  await prisma().project.update({ where: { id: project.id }, data: { gitUrl: bare, odooSeries: SERIES } });

  const worker = startWorkerProcess({ GITHUB_API_URL: gh.url, PUBLIC_URL: publicUrl });
  const events = watchContainerStarts(project.id);
  let pushCount = 0;

  /** One push delivered like GitHub delivers it; resolves with the build it queued. */
  async function push(branch: string) {
    pushCount += 1;
    const { before, after } = await newCommit(work, branch, pushCount);
    const payload = {
      ref: `refs/heads/${branch}`,
      before,
      after,
      created: false,
      deleted: false,
      forced: false,
      repository: { id: repo.id, name: "bench17", full_name: "bench/bench17", owner: { login: "bench" } },
      pusher: { name: "bench", email: "bench@example.com" },
      sender: { login: "bench" },
      head_commit: {
        id: after,
        message: `push ${pushCount}`,
        timestamp: new Date().toISOString(),
        author: { name: "Bench", email: "bench@example.com" },
      },
      commits: [],
    };
    const sentAt = Date.now();
    const [delivery] = await gh.deliver(repo, "push", payload);
    if (!delivery || delivery.status_code >= 300) {
      throw new Error(`the push was refused: ${delivery?.status_code} ${JSON.stringify(delivery?.response)}`);
    }
    const build = await until(
      "the build row",
      async () =>
        (await prisma().build.findFirst({ where: { projectId: project.id, commitSha: after } })) ?? undefined,
      30_000,
      20,
    );
    return { sentAt, sha: after, buildId: build.id };
  }

  async function finished(buildId: string) {
    const build = await until(
      `build ${buildId}`,
      async () => {
        const row = await prisma().build.findUniqueOrThrow({
          where: { id: buildId },
          include: { phases: true },
        });
        return row.status === "DONE" || row.status === "CANCELLED" ? row : undefined;
      },
      600_000,
      200,
    );
    if (build.result === "FAILED") throw new Error(`build ${buildId} failed: ${build.errorSummary}`);
    return build;
  }

  try {
    await worker.ready;
    const results: string[] = [];

    if (only === "" || only === "overhead") {
      console.log("overhead: warming up (image and base template)…");
      await finished((await push("small")).buildId);
      const part1: number[] = [];
      const part2: number[] = [];
      const breakdown: Record<string, number[]> = {};
      for (let i = 0; i < pushes; i++) {
        const pushed = await push("small");
        const ready = until(
          "Odoo's /web/health",
          async () => {
            const row = await prisma().build.findUnique({ where: { id: pushed.buildId } });
            if (!row?.httpPort) return undefined;
            const health = await fetch(`http://127.0.0.1:${row.httpPort}/web/health`, {
              signal: AbortSignal.timeout(1000),
            });
            return health.ok ? Date.now() : undefined;
          },
          600_000,
          10,
        );
        const reported = until(
          "the final commit status",
          async () =>
            gh.state.repos
              .get("bench/bench17")
              ?.statuses.some((s) => s.sha === pushed.sha && s.state !== "pending")
              ? Date.now()
              : undefined,
          600_000,
          10,
        );
        const [readyAt, statusAt] = await Promise.all([ready, reported]);
        const build = await finished(pushed.buildId);
        const odoo = events.starts.find(
          (s) => s.build === pushed.buildId && (s.role === "install" || s.role === "tests"),
        );
        if (!odoo) throw new Error(`no Odoo container start seen for build ${pushed.buildId}`);
        part1.push(odoo.at - pushed.sentAt);
        part2.push(statusAt - readyAt);
        // Where the first part goes: row, queue, then the phases before Odoo runs.
        const at = (d: Date | null | undefined) => d?.getTime() ?? Number.NaN;
        const phase = (name: string) => build.phases.find((p) => p.name === name);
        const spans: Record<string, number> = {
          "webhook -> build row": at(build.createdAt) - pushed.sentAt,
          "row -> worker starts": at(build.startedAt) - at(build.createdAt),
          "code phase": at(phase("code")?.finishedAt) - at(phase("code")?.startedAt),
          "image phase": at(phase("image")?.finishedAt) - at(phase("image")?.startedAt),
          "database phase": at(phase("database")?.finishedAt) - at(phase("database")?.startedAt),
          "database -> Odoo container": odoo.at - at(phase("database")?.finishedAt),
          "Odoo ready -> build finished": at(build.finishedAt) - readyAt,
        };
        for (const [name, ms] of Object.entries(spans)) breakdown[name] = [...(breakdown[name] ?? []), ms];
        console.log(
          `  push ${i + 1}: webhook -> Odoo running ${seconds(odoo.at - pushed.sentAt)}, ` +
            `Odoo ready -> status ${seconds(statusAt - readyAt)}`,
        );
      }
      console.log(
        `  medians: ${Object.entries(breakdown)
          .map(([name, values]) => `${name} ${seconds(median(values))}`)
          .join(", ")}`,
      );
      const total = part1.map((p, i) => p + part2[i]!);
      results.push(
        `overhead (median of ${pushes} pushes): webhook -> Odoo running ${seconds(median(part1))}, ` +
          `Odoo ready -> GitHub status ${seconds(median(part2))}, total ${seconds(median(total))} ` +
          `(goal <= 2 s: ${median(total) <= 2000 ? "met" : "not met"})`,
      );
      console.log(results.at(-1));
    }

    if (only === "" || only === "template") {
      // Fresh: no template of these modules in this installation.
      await prisma().templateDatabase.deleteMany({ where: { modules: { has: "sale" } } });
      console.log("template: a development build of sale, stock, account with no template…");
      const fresh = await finished((await push("shop")).buildId);
      console.log("template: the same build with the template cached…");
      const cached = await finished((await push("shop")).buildId);
      const took = (b: { startedAt: Date | null; finishedAt: Date | null }) =>
        (b.finishedAt?.getTime() ?? 0) - (b.startedAt?.getTime() ?? 0);
      const phase = (b: typeof fresh) => b.phases.find((p) => p.name === "database");
      const dbTook = (b: typeof fresh) =>
        (phase(b)?.finishedAt?.getTime() ?? 0) - (phase(b)?.startedAt?.getTime() ?? 0);
      results.push(
        `template cache: fresh build ${seconds(took(fresh))} (database phase ${seconds(dbTook(fresh))}), ` +
          `cached ${seconds(took(cached))} (database phase ${seconds(dbTook(cached))}), ` +
          `ratio ${(took(fresh) / took(cached)).toFixed(1)}x (goal >= 5x: ${took(fresh) / took(cached) >= 5 ? "met" : "not met"})`,
      );
      console.log(results.at(-1));
    }
    console.log("\nresults");
    for (const line of results) console.log(`  ${line}`);
  } finally {
    events.stop();
    await worker.stop();
    route.server.close();
    await gh.close();
    const { closeDefaultQueueContext } = await import("../../packages/queue/src/index");
    await closeDefaultQueueContext();
    await prisma().$disconnect();
    await removeBenchData().catch((error) => console.error(`cleaning up: ${String(error)}`));
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
