// The fault suite's short version, one trial: the worker SIGKILLed at a random moment of a
// random job (a build of each stage, a backup, a restore into staging), started again; nothing
// stuck, nothing orphaned, production serving the same data. scripts/faults/run.ts runs many.
// FAULT_SEED replays a trial (its seed is in the test's name).
import { randomInt } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seededRandom } from "../../../scripts/faults/lib/random";
import { formatTally, newTally, violations } from "../../../scripts/faults/lib/tally";
import type { FaultPlatform } from "../../../scripts/faults/worker-kill/platform";
import { type BuildTestEnv, requireImage, useBuildTestEnv } from "../builds/support";
import { dropPrefix } from "../queue/support";

const seed = Number(process.env.FAULT_SEED ?? randomInt(2 ** 31));
let env: BuildTestEnv;
let platform: FaultPlatform | undefined;

beforeAll(async () => {
  await requireImage("gantry/odoo:17.0");
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

describe("the fault suite", () => {
  it(`survives a worker killed at a random moment of a random job (seed ${seed})`, async () => {
    const { workerKillTrial } = await import("../../../scripts/faults/worker-kill/trial");
    const tally = newTally("worker-kill");
    await workerKillTrial(platform!, seededRandom(seed), tally);
    console.log(formatTally(tally));
    expect(tally.faults).toBe(1);
    expect(violations(tally)).toEqual([]);
  }, 900_000);
});
