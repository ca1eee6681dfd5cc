// The fault suite's short version: one trial of each fault, in one file so they run one after
// another (each takes the machine's Docker, PostgreSQL or Redis for itself a while).
// scripts/faults/run.ts runs the long version (`--fault NAME --trials N`).
// FAULT_SEED replays the worker-kill trial (its seed is in the test's name).
import { randomInt } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seededRandom } from "../../../scripts/faults/lib/random";
import { formatTally, newTally, type Tally, violations } from "../../../scripts/faults/lib/tally";
import type { FaultPlatform } from "../../../scripts/faults/worker-kill/platform";
import { type BuildTestEnv, requireImage, useBuildTestEnv } from "../builds/support";
import { dropPrefix } from "../queue/support";
import { imageOf } from "../standin/helpers";

const seed = Number(process.env.FAULT_SEED ?? randomInt(2 ** 31));
// About how long a production upgrade or a rehearsal of the fixture takes whole on the stand-in.
const UPGRADE_WINDOW_MS = 20_000;

function expectNoViolation(tally: Tally): void {
  console.log(formatTally(tally));
  expect(tally.faults).toBe(1);
  expect(violations(tally)).toEqual([]);
}

describe("Redis restarted with 30 jobs queued and 2 running", () => {
  it("loses none", async () => {
    const { redisRestartTrial } = await import("../../../scripts/faults/redis-restart");
    const tally = newTally("redis-restart");
    await redisRestartTrial(tally);
    expectNoViolation(tally);
  }, 300_000);
});

describe("the worker SIGKILLed at a random moment of a random job", () => {
  let env: BuildTestEnv;
  let platform: FaultPlatform | undefined;

  beforeAll(async () => {
    await requireImage(imageOf("17.0"));
    env = await useBuildTestEnv();
    const { createFaultPlatform } = await import("../../../scripts/faults/worker-kill/platform");
    platform = await createFaultPlatform(env);
  }, 180_000);

  afterAll(async () => {
    if (platform) {
      await platform.close();
      await dropPrefix(platform.producer).catch(() => {});
    }
    const { prisma } = await import("@gantry/db");
    await prisma().$disconnect();
    await env?.db.drop();
  }, 180_000);

  it(`leaves nothing stuck or orphaned, production serving the same data (seed ${seed})`, async () => {
    const { workerKillTrial } = await import("../../../scripts/faults/worker-kill/trial");
    const { JOB_KINDS, isUpgradeKind } = await import("../../../scripts/faults/worker-kill/jobs");
    const tally = newTally("worker-kill");
    // The upgrade kinds have a trial each below.
    await workerKillTrial(
      platform!,
      seededRandom(seed),
      tally,
      JOB_KINDS.filter((k) => !isUpgradeKind(k)),
    );
    expectNoViolation(tally);
  }, 900_000);

  // Each on a project of its own. The kill is drawn in a window of UPGRADE_WINDOW_MS rather than
  // the kind's measured time: measuring it would run a whole attempt first (the script does).
  for (const kind of ["upgrade rehearsal", "production upgrade"] as const) {
    it(`leaves nothing stuck or orphaned when killed during ${kind === "upgrade rehearsal" ? "an" : "a"} ${kind}, production as before or upgraded whole (seed ${seed})`, async () => {
      await requireImage(imageOf("18.0"));
      const { workerKillTrial } = await import("../../../scripts/faults/worker-kill/trial");
      platform!.durations.set(kind, UPGRADE_WINDOW_MS);
      const tally = newTally("worker-kill");
      await workerKillTrial(platform!, seededRandom(seed), tally, [kind]);
      expectNoViolation(tally);
    }, 900_000);
  }
});

describe("the disk of the backups full during a backup", () => {
  let env: BuildTestEnv | undefined;

  afterAll(async () => {
    const { prisma } = await import("@gantry/db");
    await prisma().$disconnect();
    await env?.db.drop();
  }, 180_000);

  it("fails it in words, leaves nothing half-written, earlier backups intact and verifying", async () => {
    await requireImage(imageOf("17.0"));
    env = await useBuildTestEnv();
    const { diskFullTrials } = await import("../../../scripts/faults/disk-full");
    const tally = newTally("disk-full");
    await diskFullTrials(env, 1, tally);
    expectNoViolation(tally);
  }, 900_000);
});

describe("the development cluster restarted while a build installs", () => {
  let env: BuildTestEnv | undefined;

  afterAll(async () => {
    const { prisma } = await import("@gantry/db");
    await prisma().$disconnect();
    await env?.db.drop();
  }, 180_000);

  it("fails that build with the reason in words, and the next one succeeds", async () => {
    await requireImage(imageOf("17.0"));
    env = await useBuildTestEnv();
    const { clusterRestartTrials } = await import("../../../scripts/faults/cluster-restart");
    const tally = newTally("cluster-restart");
    await clusterRestartTrials(env, 1, tally);
    expectNoViolation(tally);
  }, 900_000);
});

// Last: it points this process's database client at a private cluster.
describe("Gantry's own PostgreSQL restarted during activity", () => {
  it("answers 503 meanwhile, then both processes recover alone with no job lost", async () => {
    const { postgresRestartTrial } = await import("../../../scripts/faults/postgres-restart");
    const tally = newTally("postgres-restart");
    await postgresRestartTrial(tally);
    expectNoViolation(tally);
  }, 300_000);
});
