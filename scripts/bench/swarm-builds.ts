// Swarm against Docker: what the platform takes per development build on each runtime, in the
// same run.
//
//   pnpm exec tsx scripts/bench/swarm-builds.ts [--builds N] [--burst N] [--concurrency N] [--clean]
//
// Two worker processes started as production starts them, each on its own Redis prefix: one with
// RUNTIME=docker (this machine's engine), one with RUNTIME=swarm on a three-node Swarm formed on
// this machine (tests/support/swarm: development, development, production; images through its
// registry, the development cluster through its relay, the data dir shared with the nodes). Each
// has a project on the fixture repository (tests/fixtures/make-repos) and the stand-in Odoo,
// whose own work is a fraction of a second: a build's time is what the platform adds around it.
// After one warm-up build on each (image pushed, then pulled by every node; template built), N rounds (default 5)
// each build `main` once on Docker, then once on the Swarm, so both see the same machine load.
// Reported: the median build time (worker started -> build finished and served) on each, their
// ratio (goal in issue 20: Swarm <= 1.5x Docker), and each phase's median.
// With --burst N (issue 20 asks for 40), N development builds are then queued at once on each
// runtime, Docker's first, each on a branch of its own: builds per minute from the first queued
// to the last ended, and where the Swarm's landed (the containers each node's engine started, by
// role, and the node each serving build runs on at the end). Docker's burst is removed before the
// Swarm's starts. --concurrency sets both workers' WORKER_CONCURRENCY (the configured default
// otherwise): one worker drives each runtime, so it bounds both the same way.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { config } from "@gantry/config";
import { FIXTURE_REPO, FIXTURE_SERIES, makeReposArgs } from "../../tests/support/odoo-target";
import {
  postgresSocketOf,
  runningNode,
  type SwarmCluster,
  startSwarm,
  swarmRuntimeEnv,
} from "../../tests/support/swarm/cluster";
import { docker } from "../../tests/support/swarm/docker-cli";
import { startsDuring } from "../../tests/support/swarm/starts";
import { flag, option } from "./lib/args";
import { type BurstResult, buildBurst, landing } from "./lib/build-burst";
import {
  benchEnvironment,
  cleanIfAsked,
  freshBenchDatabase,
  machineLine,
  median,
  removeBenchData,
  root,
  seconds,
  startWorkerProcess,
  until,
} from "./lib/platform";

const env = benchEnvironment("swarm-builds");
const run = promisify(execFile);

type Kind = "docker" | "swarm";

async function main(): Promise<void> {
  if (await cleanIfAsked(env, flag("--clean"))) return;
  const rounds = Number(option("--builds", "5"));
  const burst = Number(option("--burst", "0"));
  console.log(machineLine());
  await freshBenchDatabase(env);
  const repos = join(env.dir, "repos");
  await mkdir(repos, { recursive: true });
  await run(join(root, "tests/fixtures/make-repos"), makeReposArgs(repos));
  const gitUrl = join(repos, `${FIXTURE_REPO}.git`);
  const sha = (await run("git", ["--git-dir", gitUrl, "rev-parse", "refs/heads/main"])).stdout.trim();

  const devPort = Number(new URL(config().BUILD_DEV_DATABASE_URL).port || 5432);
  const cluster = await startSwarm(["development", "development", "production"], `gsw-bench-${process.pid}`, {
    postgresSockets: { [devPort]: postgresSocketOf(devPort) },
    // Gantry's addons are packages/odoo/addons (GANTRY_ADDONS_DIR), bind-mounted into serving builds.
    sharedPaths: [config().GANTRY_DATA_DIR, join(root, "packages/odoo/addons")],
  });
  console.log(`swarm of ${cluster.nodes.length} nodes formed in ${seconds(cluster.formedMs)}`);
  try {
    await measure(cluster, { rounds, burst }, gitUrl, sha);
  } finally {
    await cluster.teardown();
    await removeBenchData(env).catch((error) => console.error(`cleaning up: ${String(error)}`));
  }
}

async function measure(
  cluster: SwarmCluster,
  { rounds, burst }: { rounds: number; burst: number },
  gitUrl: string,
  sha: string,
): Promise<void> {
  const { prisma } = await import("@gantry/db");
  const queue = await import("../../packages/queue/src/index");
  const prefixes: Record<Kind, string> = {
    docker: `${config().REDIS_PREFIX}-docker`,
    swarm: `${config().REDIS_PREFIX}-swarm`,
  };
  const concurrency = option("--concurrency", String(config().WORKER_CONCURRENCY));
  const workers = {
    docker: startWorkerProcess({
      REDIS_PREFIX: prefixes.docker,
      RUNTIME: "docker",
      WORKER_CONCURRENCY: concurrency,
    }),
    swarm: startWorkerProcess({
      REDIS_PREFIX: prefixes.swarm,
      WORKER_CONCURRENCY: concurrency,
      ...swarmRuntimeEnv(cluster),
    }),
  };
  const producers = Object.fromEntries(
    (["docker", "swarm"] as const).map((kind) => [
      kind,
      queue.createQueueContext({ redisUrl: config().REDIS_URL, prefix: prefixes[kind] }),
    ]),
  ) as Record<Kind, ReturnType<typeof queue.createQueueContext>>;
  const branches = {} as Record<Kind, { projectId: string; branchId: string }>;
  for (const kind of ["docker", "swarm"] as const) {
    const slug = `bench-${kind}-${randomBytes(3).toString("hex")}`;
    const project = await prisma().project.create({
      data: { slug, name: slug, githubOwner: "bench", githubRepo: slug, odooSeries: FIXTURE_SERIES, gitUrl },
    });
    const branch = await prisma().branch.create({
      data: { projectId: project.id, name: "main", stage: "DEVELOPMENT" },
    });
    branches[kind] = { projectId: project.id, branchId: branch.id };
  }

  const enqueue = (kind: Kind, buildId: string) =>
    queue.enqueue("builds.run", { buildId }, { jobId: queue.buildJobId(buildId) }, producers[kind]);

  async function build(kind: Kind) {
    const row = await prisma().build.create({
      data: { ...branches[kind], stage: "DEVELOPMENT", commitSha: sha, trigger: "push" },
    });
    await enqueue(kind, row.id);
    const done = await until(
      `build ${row.id} on ${kind}`,
      async () => {
        const found = await prisma().build.findUniqueOrThrow({
          where: { id: row.id },
          include: { phases: true },
        });
        return found.status === "DONE" || found.status === "CANCELLED" ? found : undefined;
      },
      600_000,
      100,
    );
    if (done.result !== "SUCCESS")
      throw new Error(`build ${row.id} on ${kind}: ${done.result} ${done.errorSummary}`);
    const ms = (from?: Date | null, to?: Date | null) =>
      (to?.getTime() ?? Number.NaN) - (from?.getTime() ?? Number.NaN);
    return {
      total: ms(done.startedAt, done.finishedAt),
      phases: Object.fromEntries(done.phases.map((p) => [p.name, ms(p.startedAt, p.finishedAt)])),
    };
  }

  async function bursts(count: number): Promise<void> {
    const line = (kind: Kind, result: BurstResult) =>
      `burst of ${count} on ${kind} (worker concurrency ${concurrency}): ${result.done} succeeded, ` +
      `${result.failed.length} failed, last ended after ${seconds(result.ms)}: ` +
      `${result.perMinute.toFixed(1)} builds/min (${machineLine()})`;
    const onDocker = await buildBurst({
      projectId: branches.docker.projectId,
      count,
      sha,
      enqueue: (id) => enqueue("docker", id),
    });
    console.log(`\n${line("docker", onDocker)}`);
    for (const failure of onDocker.failed) console.log(`    ${failure}`);
    // Its serving builds would idle beside the Swarm's: removed first.
    const { DockerRuntime } = await import("../../packages/runtime/src/index");
    await new DockerRuntime().removeManaged({ project: branches.docker.projectId });
    const { result: onSwarm, starts } = await startsDuring(
      cluster,
      buildBurst({ projectId: branches.swarm.projectId, count, sha, enqueue: (id) => enqueue("swarm", id) }),
    );
    console.log(line("swarm", onSwarm));
    for (const failure of onSwarm.failed) console.log(`    ${failure}`);
    const serving = await Promise.all(onSwarm.served.map((service) => runningNode(cluster, service)));
    console.log(`    ${landing(cluster.nodes, starts, serving)}`);
    console.log(
      `  Swarm / Docker builds per minute: ${(onSwarm.perMinute / onDocker.perMinute).toFixed(2)}x`,
    );
  }

  try {
    await Promise.all([workers.docker.ready, workers.swarm.ready]);
    for (const kind of ["docker", "swarm"] as const) {
      const warm = await build(kind);
      console.log(`warm-up on ${kind}: ${seconds(warm.total)}`);
    }
    // The warm-up pushed the image to the registry and one node pulled it: the others pull it
    // now, so that no round pays a first pull (10-25 s) on a node that had not run it yet.
    const image = `${cluster.registryPull}/${config().ODOO_IMAGE}:${FIXTURE_SERIES}`;
    for (const node of cluster.nodes) await docker(["pull", "--quiet", image], node.host);
    const results: Record<Kind, Awaited<ReturnType<typeof build>>[]> = { docker: [], swarm: [] };
    for (let i = 0; i < rounds; i += 1) {
      for (const kind of ["docker", "swarm"] as const) {
        const result = await build(kind);
        results[kind].push(result);
        console.log(`  round ${i + 1} ${kind}: ${seconds(result.total)} (${machineLine()})`);
      }
    }
    const summary = (kind: Kind) => {
      // In Docker's order on both, so that the lines read side by side.
      const names = Object.keys(results.docker[0]?.phases ?? {});
      const phases = names.map(
        (name) => `${name} ${seconds(median(results[kind].map((r) => r.phases[name] ?? 0)))}`,
      );
      return `${kind}: median ${seconds(median(results[kind].map((r) => r.total)))} (${phases.join(", ")})`;
    };
    const ratio = median(results.swarm.map((r) => r.total)) / median(results.docker.map((r) => r.total));
    console.log(`\nresults over ${rounds} builds each (${machineLine()})`);
    console.log(`  ${summary("docker")}`);
    console.log(`  ${summary("swarm")}`);
    console.log(`  Swarm / Docker: ${ratio.toFixed(2)}x (goal <= 1.5x: ${ratio <= 1.5 ? "met" : "not met"})`);
    if (burst > 0) await bursts(burst);
  } finally {
    await Promise.all([workers.docker.stop(), workers.swarm.stop()]);
    for (const producer of Object.values(producers)) await producer.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
