// What a production build changed, stored with the build as it goes (the `rollback` field of
// its database phase's output: a value of shared/production-rollback.ts), so that production
// is put back the same way whether the build fails in its own worker (the stage's recover) or
// its worker dies mid-update and another one finds it (interrupted.ts, reconcile.ts, cleanup).
// Once production is back, or the build serves, the field is cleared and `settled` says which.
import { rm } from "node:fs/promises";
import { bestEffort, type Logger } from "@gantry/config";
import { dbServerById, phaseOutput, servingFilter, storePhaseOutput, unrouteBuild } from "@gantry/core";
import { prisma } from "@gantry/db";
import { dropDatabase } from "@gantry/postgres";
import type { ContainerRuntime } from "@gantry/runtime";
import {
  type ProductionRollback,
  parseProductionRollback,
  rollBackProduction,
} from "../../shared/production-rollback";
import { removeBuildContainers } from "../build-containers";

/** The rollback stored with the build, or null when it holds nothing of production. */
export async function storedRollback(buildId: string): Promise<ProductionRollback | null> {
  return parseProductionRollback((await phaseOutput(buildId, "database")).rollback);
}

/**
 * Stores what a rollback would put back now, before the step it covers runs (null once the
 * build no longer holds production, with what became of it).
 */
export async function storeRollback(
  buildId: string,
  rollback: ProductionRollback | null,
  settled?: string,
): Promise<void> {
  const output: Record<string, unknown> = { ...(await phaseOutput(buildId, "database")), rollback };
  if (settled !== undefined) output.settled = settled;
  await storePhaseOutput(buildId, "database", output);
}

const WENT_LIVE = "kept: the build serves";

/**
 * The build serves production: from here a crash must not put the previous state back. What
 * the rollback named (its snapshot, the build that served before) is kept as `retiring`, for
 * whoever finishes retiring it: this build's worker, or the one that finds it interrupted.
 */
export async function settleWentLive(buildId: string, rollback: ProductionRollback): Promise<void> {
  const output = await phaseOutput(buildId, "database");
  await storePhaseOutput(buildId, "database", {
    ...output,
    rollback: null,
    settled: WENT_LIVE,
    retiring: rollback,
  });
}

/** What a build that went live still has to retire, or null when it did not go live. */
export async function wentLive(buildId: string): Promise<ProductionRollback | null> {
  const output = await phaseOutput(buildId, "database");
  if (output.settled !== WENT_LIVE) return null;
  return parseProductionRollback(output.retiring);
}

/**
 * After a build went live: the rollback snapshot dropped and the build that served before
 * stopped for good (containers, route, serving mark). Each step may run twice (a crash
 * half-way): removing what is gone already is no error.
 */
export async function retirePrevious(
  runtime: ContainerRuntime,
  rollback: ProductionRollback,
  logger?: Logger,
): Promise<void> {
  if (rollback.restore.from === "copy") {
    const server = await dbServerById(rollback.serverId);
    await bestEffort(
      `dropping rollback snapshot ${rollback.restore.database}`,
      dropDatabase(server, rollback.restore.database),
      { logger },
    );
    await rm(rollback.restore.filestore, { recursive: true, force: true });
  }
  const previous = rollback.previous;
  if (!previous) return;
  const options = { logger, fields: { buildId: previous.buildId } };
  await bestEffort(
    "removing the previous build's containers",
    removeBuildContainers(runtime, previous.buildId),
    options,
  );
  await bestEffort("removing the previous build's route", unrouteBuild(previous.buildId), options);
  await prisma().build.update({ where: { id: previous.buildId }, data: { servingAt: null } });
}

/**
 * Puts production back as it was before the build, from what the build stored: its containers
 * removed and its route taken away first, then the shared rollback. Returns what was done, or
 * null when the build holds nothing of production (never changed it, or already settled).
 */
export async function putBackProduction(
  runtime: ContainerRuntime,
  buildId: string,
  signal?: AbortSignal,
): Promise<string | null> {
  const rollback = await storedRollback(buildId);
  if (!rollback) return null;
  // Left stored by a put-back that failed, production since taken over by a newer build: what
  // it says to put back is no longer what serves, and is left for a person.
  const build = await prisma().build.findUniqueOrThrow({
    where: { id: buildId },
    select: { branchId: true, createdAt: true },
  });
  const newer = await prisma().build.findFirst({
    where: {
      branchId: build.branchId,
      stage: "PRODUCTION",
      id: { not: buildId },
      ...servingFilter,
      createdAt: { gt: build.createdAt },
    },
    select: { id: true },
  });
  if (newer) {
    await storeRollback(buildId, null, `not put back: build ${newer.id} has served production since`);
    return null;
  }
  // The build's containers first: nothing may hold the database while it is put back.
  await removeBuildContainers(runtime, buildId);
  await unrouteBuild(buildId);
  const done = await rollBackProduction(runtime, rollback, { signal });
  const message = done.length > 0 ? `rolled back: ${done.join("; ")}` : "production was not changed";
  await storeRollback(buildId, null, message);
  return message;
}
