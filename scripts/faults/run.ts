// The fault suite's long version: `--fault NAME --trials N [--seed S]`, a table of trials,
// faults injected, checks made and violations (goal 0); exit status 1 on any violation.
// Run it in the scripts' environment (the services' generated passwords):
//   bash -c 'source scripts/lib/common.sh && pnpm exec tsx scripts/faults/run.ts --fault worker-kill --trials 20'
import { execFile } from "node:child_process";
import { randomInt } from "node:crypto";
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { flag, option } from "../bench/lib/args";
import { benchEnvironment, freshBenchDatabase, root } from "../bench/lib/platform";
import { type Random, seededRandom } from "./lib/random";
import { formatTally, newTally, type Tally, violations } from "./lib/tally";

const FAULTS = ["worker-kill", "redis-restart", "postgres-restart", "disk-full", "cluster-restart"] as const;
type Fault = (typeof FAULTS)[number];

/** A platform's environment of its own (a database, a data dir, a Redis prefix, the fixture repositories). */
async function platformEnvironment(name: string) {
  const env = benchEnvironment(name);
  await freshBenchDatabase(env);
  // What an earlier run left in the data dir would count against this one.
  await rm(join(env.dir, "data"), { recursive: true, force: true });
  await mkdir(join(env.dir, "data"), { recursive: true });
  const repos = join(env.dir, "repos");
  await promisify(execFile)(join(root, "tests/fixtures/make-repos"), [repos]);
  const { config } = await import("@gantry/config");
  return {
    db: { url: config().DATABASE_URL },
    dataDir: config().GANTRY_DATA_DIR,
    prefix: config().REDIS_PREFIX,
    repos,
  };
}

/** The worker-kill trials on a platform of their own. */
async function workerKill(trials: number, random: Random, tally: Tally): Promise<void> {
  const env = await platformEnvironment("faults-worker-kill");
  const { createFaultPlatform } = await import("./worker-kill/platform");
  const { workerKillTrial } = await import("./worker-kill/trial");
  const { JOB_KINDS } = await import("./worker-kill/jobs");
  // `--kinds import,backup`: only those kinds are drawn (default every kind).
  const kinds = option("--kinds", JOB_KINDS.join(",")).split(",") as (typeof JOB_KINDS)[number][];
  const unknown = kinds.filter((k) => !JOB_KINDS.includes(k));
  if (unknown.length)
    throw new Error(`--kinds: unknown ${unknown.join(", ")}; one of ${JOB_KINDS.join(", ")}`);
  const platform = await createFaultPlatform(env);
  try {
    await platform.startWorker();
    for (let i = 0; i < trials; i++) {
      await workerKillTrial(platform, random, tally, kinds);
      process.stderr.write(`trial ${i + 1}/${trials}: ${tally.notes.at(-1)}\n`);
    }
  } finally {
    if (!flag("--keep")) await platform.close();
    const { prisma } = await import("@gantry/db");
    await prisma().$disconnect();
  }
}

async function redisRestart(trials: number, _random: Random, tally: Tally): Promise<void> {
  const { redisRestartTrial } = await import("./redis-restart");
  for (let i = 0; i < trials; i++) {
    await redisRestartTrial(tally);
    process.stderr.write(`trial ${i + 1}/${trials}: ${tally.notes.at(-1)}\n`);
  }
}

async function postgresRestart(trials: number, _random: Random, tally: Tally): Promise<void> {
  const { postgresRestartTrial } = await import("./postgres-restart");
  for (let i = 0; i < trials; i++) {
    await postgresRestartTrial(tally);
    process.stderr.write(`trial ${i + 1}/${trials}: ${tally.notes.at(-1)}\n`);
  }
}

async function diskFull(trials: number, _random: Random, tally: Tally): Promise<void> {
  const env = await platformEnvironment("faults-disk-full");
  const { diskFullTrials } = await import("./disk-full");
  try {
    await diskFullTrials(env, trials, tally);
  } finally {
    const { prisma } = await import("@gantry/db");
    await prisma().$disconnect();
  }
}

async function clusterRestart(trials: number, _random: Random, tally: Tally): Promise<void> {
  const env = await platformEnvironment("faults-cluster-restart");
  const { clusterRestartTrials } = await import("./cluster-restart");
  try {
    await clusterRestartTrials(env, trials, tally);
  } finally {
    const { prisma } = await import("@gantry/db");
    await prisma().$disconnect();
  }
}

const runners: Record<Fault, (trials: number, random: Random, tally: Tally) => Promise<void>> = {
  "worker-kill": workerKill,
  "redis-restart": redisRestart,
  "postgres-restart": postgresRestart,
  "disk-full": diskFull,
  "cluster-restart": clusterRestart,
};

async function main(): Promise<void> {
  const fault = option("--fault", "worker-kill") as Fault;
  if (!FAULTS.includes(fault)) throw new Error(`--fault is one of ${FAULTS.join(", ")}`);
  const trials = Number(option("--trials", "20"));
  const seed = Number(option("--seed", String(randomInt(2 ** 31))));
  const tally = newTally(`${fault} (seed ${seed})`);
  await runners[fault](trials, seededRandom(seed), tally);
  console.log(formatTally(tally));
  process.exitCode = violations(tally).length ? 1 : 0;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
