// The fault suite's long version: `--fault NAME --trials N [--seed S]`, a table of trials,
// faults injected, checks made and violations (goal 0); exit status 1 on any violation.
// Run it in the scripts' environment (the services' generated passwords):
//   bash -c 'source scripts/lib/common.sh && pnpm exec tsx scripts/faults/run.ts --fault worker-kill --trials 20'
import { execFile } from "node:child_process";
import { randomInt } from "node:crypto";
import { join } from "node:path";
import { promisify } from "node:util";
import { flag, option } from "../bench/lib/args";
import { benchEnvironment, freshBenchDatabase, root } from "../bench/lib/platform";
import { seededRandom } from "./lib/random";
import { formatTally, newTally, violations } from "./lib/tally";

const FAULTS = ["worker-kill"] as const;

async function main(): Promise<void> {
  const fault = option("--fault", "worker-kill");
  if (!(FAULTS as readonly string[]).includes(fault))
    throw new Error(`--fault is one of ${FAULTS.join(", ")}`);
  const trials = Number(option("--trials", "20"));
  const seed = Number(option("--seed", String(randomInt(2 ** 31))));
  const env = benchEnvironment(`faults-${fault}`);
  await freshBenchDatabase(env);
  const repos = join(env.dir, "repos");
  await promisify(execFile)(join(root, "tests/fixtures/make-repos"), [repos]);
  const { config } = await import("@gantry/config");
  const { createFaultPlatform } = await import("./worker-kill/platform");
  const { workerKillTrial } = await import("./worker-kill/trial");
  const platform = await createFaultPlatform({
    db: { url: config().DATABASE_URL },
    dataDir: config().GANTRY_DATA_DIR,
    prefix: config().REDIS_PREFIX,
    repos,
  });
  const tally = newTally(`${fault} (seed ${seed})`);
  const random = seededRandom(seed);
  try {
    await platform.startWorker();
    for (let i = 0; i < trials; i++) {
      await workerKillTrial(platform, random, tally);
      process.stderr.write(`trial ${i + 1}/${trials}: ${tally.notes.at(-1)}\n`);
    }
  } finally {
    if (!flag("--keep")) await platform.close();
    const { prisma } = await import("@gantry/db");
    await prisma().$disconnect();
  }
  console.log(formatTally(tally));
  process.exitCode = violations(tally).length ? 1 : 0;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
