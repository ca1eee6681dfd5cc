// Builds benchmark: what the platform adds around Odoo, and what the template cache saves.
//
//   pnpm exec tsx scripts/bench/builds.ts [--pushes N] [--only overhead|template] [--series S]
//                                         [--depends a,b,c] [--keep] [--clean]
//
// Everything real but GitHub (the project's stand-in) and Odoo (the image of ODOO_IMAGE, the
// stand-in by default; --series picks its tag, default 17.0, e.g. ODOO_IMAGE=<real image>
// --series 18.0 --depends sale_management,stock,account for real Odoo): a
// Gantry database of its own (gantry_bench_builds, migrated), the webhook route handler served
// over HTTP, a worker process started as production starts it, Docker, the development
// PostgreSQL cluster and Caddy. A fixture repository under <data dir>/bench/builds gets a new
// commit per push, delivered by the stand-in as GitHub delivers it (signed).
//
//   overhead:  median over N pushes (default 5) of a small module (depends on base), template
//              warm: (1) signed delivery sent -> first Odoo container started (Docker's start
//              event), (2) Odoo's /web/health first answering (polled every 10 ms) -> the final
//              commit status received by the GitHub stand-in. Goal: median total <= 2 s.
//   template:  a development build of a module depending on --depends (default sale, stock and
//              account: the stand-in has no sale_management) with its
//              template removed first, then the same build again with the template cached:
//              build times (started -> finished), each build's phases, and their ratio. Goal >= 5x.
//
// --keep leaves the run's builds, databases and templates in place (for a look, or as a real
// database to copy for another benchmark); --clean removes them.
import { spawn } from "node:child_process";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { config } from "@gantry/config";
import { flag, option } from "./lib/args";
import {
  benchEnvironment,
  freshBenchDatabase,
  git,
  machineLine,
  median,
  removeBenchData,
  run,
  seconds,
  startPlatform,
  until,
} from "./lib/platform";

// Before any package reads its configuration: this benchmark's database, data dir, Redis prefix.
const env = benchEnvironment("builds");
const benchDir = env.dir;

const SERIES = option("--series", "17.0");
const SHOP_DEPENDS = option("--depends", "sale,stock,account").split(",");
const IMAGE = `${config().ODOO_IMAGE}:${SERIES}`;
const bare = join(benchDir, "repos", "bench17.git");

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

/** A work tree with two branches: `small` (a module on base) and `shop` (on SHOP_DEPENDS). */
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
  await writeModule(work, "bench_shop", SHOP_DEPENDS);
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

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const only = option("--only", "");
  const pushes = Number(option("--pushes", "5"));
  if (flag("--clean")) {
    await removeBenchData(env);
    await rm(benchDir, { recursive: true, force: true });
    console.log("bench data removed");
    return;
  }
  await run("docker", ["image", "inspect", IMAGE]).catch(() => {
    throw new Error(`image ${IMAGE} is missing: run docker/build-images`);
  });
  console.log(`${machineLine()}; image ${IMAGE}`);
  await freshBenchDatabase(env);
  const work = await makeRepository();
  const platform = await startPlatform({ bare, name: "bench17", series: SERIES, defaultBranch: "small" });
  const { gh, projectId } = platform;
  const { prisma } = await import("@gantry/db");
  const worker = platform.startWorker();
  const events = watchContainerStarts(projectId);
  let pushCount = 0;

  /** One push delivered like GitHub delivers it; resolves with the build it queued. */
  async function push(branch: string) {
    pushCount += 1;
    const { before, after } = await newCommit(work, branch, pushCount);
    const sentAt = Date.now();
    const delivered = await platform.deliverPush(branch, { before, after, message: `push ${pushCount}` });
    if (delivered.status >= 300) throw new Error(`the push was refused: ${delivered.status}`);
    const build = await until(
      "the build row",
      async () => (await prisma().build.findFirst({ where: { projectId, commitSha: after } })) ?? undefined,
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
      await prisma().templateDatabase.deleteMany({ where: { modules: { hasSome: SHOP_DEPENDS } } });
      console.log(
        `template: a development build on ${SHOP_DEPENDS.join(", ")} with no template… (${machineLine()})`,
      );
      const fresh = await finished((await push("shop")).buildId);
      console.log(`template: the same build with the template cached… (${machineLine()})`);
      const cached = await finished((await push("shop")).buildId);
      const took = (b: { startedAt: Date | null; finishedAt: Date | null }) =>
        (b.finishedAt?.getTime() ?? 0) - (b.startedAt?.getTime() ?? 0);
      const phase = (b: typeof fresh) => b.phases.find((p) => p.name === "database");
      for (const [label, b] of [
        ["fresh", fresh],
        ["cached", cached],
      ] as const) {
        const spans = [...b.phases]
          .sort((x, y) => (x.startedAt?.getTime() ?? 0) - (y.startedAt?.getTime() ?? 0))
          .map((p) => `${p.name} ${seconds((p.finishedAt?.getTime() ?? 0) - (p.startedAt?.getTime() ?? 0))}`);
        console.log(`  ${label} build ${b.id} phases: ${spans.join(", ")}`);
      }
      const dbTook = (b: typeof fresh) =>
        (phase(b)?.finishedAt?.getTime() ?? 0) - (phase(b)?.startedAt?.getTime() ?? 0);
      results.push(
        `template cache: fresh build ${seconds(took(fresh))} (database phase ${seconds(dbTook(fresh))}), ` +
          `cached ${seconds(took(cached))} (database phase ${seconds(dbTook(cached))}), ` +
          `ratio ${(took(fresh) / took(cached)).toFixed(1)}x (goal >= 5x: ${took(fresh) / took(cached) >= 5 ? "met" : "not met"})`,
      );
      console.log(results.at(-1));
    }
    console.log(`\nresults (${machineLine()})`);
    for (const line of results) console.log(`  ${line}`);
  } finally {
    events.stop();
    await worker.stop();
    await platform.close();
    if (flag("--keep"))
      console.log("--keep: builds, databases and templates left in place (--clean removes them)");
    else await removeBenchData(env).catch((error) => console.error(`cleaning up: ${String(error)}`));
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
