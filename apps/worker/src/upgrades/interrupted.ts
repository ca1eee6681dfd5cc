// An upgrade attempt whose worker died (killed, machine restarted) is still RUNNING: its job is
// handed out again once its lock lapses (stalled job), and a starting worker finds the rows of
// workers whose heartbeat is gone. Either way the attempt is ended here, and what it had
// changed is put back:
//
// - rehearsal: the attempt's own databases, filestores, containers and role are removed;
// - production: the upgrade's containers removed, then the same production rollback as after an
//   in-process failure (production.ts, shared/production-rollback.ts), from what the attempt
//   stored: a half-done swap undone (the live database and filestore renamed back), the working
//   copy dropped, the previous container started and its route restored. Until the swap the live
//   database is only read, so putting the names back is enough. If the new series was already
//   serving (the worker died after the last step), the attempt is recorded as succeeded instead.
import { appendFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { bestEffort } from "@gantry/config";
import {
  dbServerForStage,
  finishUpgrade,
  recordUpgradeStep,
  routeBuild,
  type UpgradeOutcome,
  type UpgradeStep,
  upgradeDir,
  upgradeLogFile,
} from "@gantry/core";
import type { PrismaClient } from "@gantry/db";
import { dropDatabase, dropRestoredDatabase, dropRole } from "@gantry/postgres";
import { type QueueContext, readHeartbeats } from "@gantry/queue";
import type { ContainerRuntime } from "@gantry/runtime";
import { findLiveDatabase } from "../backups/live";
import { failInlineBackupsOf, verifyInlineBackupsOf } from "../backups/reconcile";
import { startServingAgain } from "../backups/serving";
import { stateIfExists } from "../shared/container-state";
import { rollBackProduction } from "../shared/production-rollback";
import { upstreamOf } from "../shared/serve";
import { recordServingNode } from "../shared/serving-node";
import { filestoreOf } from "../shared/workspace";
import { removeAttemptCheckout } from "./attempt-context";
import { productionUpgradeNames, productionUpgradeRollback, removeAttemptContainers } from "./production";
import { attemptNames } from "./rehearsal";

export const INTERRUPTED_UPGRADE = "interrupted: the worker running this upgrade stopped";

interface Services {
  db: () => PrismaClient;
  runtime: ContainerRuntime;
  /** To hand a backup the dead run was verifying to the verification job. */
  queue?: QueueContext;
}

async function undoRehearsal(
  services: Services,
  attempt: { id: string; projectId: string },
): Promise<string> {
  const names = attemptNames(attempt.id);
  const server = await dbServerForStage(attempt.projectId, "STAGING");
  await removeAttemptContainers(services.runtime, attempt.id);
  const dataDir = join(upgradeDir(attempt.id), "data");
  for (const database of [names.source, names.copy]) {
    // A restore cut short leaves the copy owned by its restore role: both go.
    await dropRestoredDatabase(server, database);
    await rm(filestoreOf(dataDir, database), { recursive: true, force: true });
  }
  await bestEffort(`dropping role ${names.role}`, dropRole(server, names.role));
  await removeAttemptCheckout(attempt.id);
  return `${INTERRUPTED_UPGRADE}; its copies were removed, nothing else had changed`;
}

/** The build's serving containers other than the one it serves from now (the old series'). */
async function removeFormerServers(runtime: Services["runtime"], buildId: string, serving: string) {
  for (const container of await runtime.listManaged({ build: buildId })) {
    if (container.name !== serving && container.labels["gantry.role"] === "serve")
      await bestEffort(`removing the former server ${container.name}`, runtime.remove(container.id, true));
  }
}

async function undoProduction(
  services: Services,
  attempt: { id: string; branchId: string; toSeries: string; fromSeries: string },
): Promise<UpgradeOutcome> {
  const live = await findLiveDatabase(services.db(), attempt.branchId);
  const build = await services.db().build.findUniqueOrThrow({
    where: { id: live.build.id },
    select: { id: true, url: true, containerName: true, httpPort: true, odooSeries: true },
  });
  const database = live.build.databaseName;
  const server = live.server;
  const { aside, container } = productionUpgradeNames(
    { database, filestore: live.filestore, dataDir: live.dataDir },
    build.containerName ?? "",
    attempt.toSeries,
  );
  const host = build.url ? new URL(build.url).host : null;

  if (build.odooSeries === attempt.toSeries) {
    // The last step had recorded the new series: production serves upgraded.
    await dropDatabase(server, aside.database);
    await rm(aside.filestore, { recursive: true, force: true });
    if (build.containerName) {
      const state = await stateIfExists(services.runtime, build.containerName);
      if (state && !state.running)
        await bestEffort(
          `starting ${build.containerName} again`,
          startServingAgain(services.runtime, build.containerName, build.httpPort),
        );
    }
    if (build.containerName) await removeFormerServers(services.runtime, build.id, build.containerName);
    if (host && build.httpPort) {
      await routeBuild(
        build.id,
        host,
        await upstreamOf(services.runtime, build.containerName, build.httpPort),
      );
      if (build.containerName) await recordServingNode(services.runtime, build.id, build.containerName);
    }
    return { status: "SUCCEEDED" };
  }

  await removeAttemptContainers(services.runtime, attempt.id, build.containerName ? [container] : []);
  // A swap cut anywhere: the upgraded copy moves out of the live names, the old ones move back.
  const plan = await productionUpgradeRollback(services.db(), attempt);
  await rollBackProduction(services.runtime, plan);
  await removeAttemptCheckout(attempt.id);
  return {
    status: "FAILED",
    error: `${INTERRUPTED_UPGRADE}; production was put back and serves on ${attempt.fromSeries} as before`,
    reverted: true,
  };
}

/**
 * Ends a RUNNING attempt left by a dead worker (`from`), putting back what it changed. The
 * attempt is first taken up for `workerId` (compare-and-set on its worker): the job handed out
 * again and a starting worker's pass may both find it, and only one of them puts it back. False
 * when it is not RUNNING on `from` any more.
 */
export async function recoverInterruptedAttempt(
  services: Services,
  attemptId: string,
  takeUp: { from: string | null; workerId: string },
): Promise<boolean> {
  const taken = await services.db().upgradeAttempt.updateMany({
    where: { id: attemptId, status: "RUNNING", workerId: takeUp.from },
    data: { workerId: takeUp.workerId },
  });
  if (taken.count === 0) return false;
  const attempt = await services.db().upgradeAttempt.findUnique({
    where: { id: attemptId },
    select: {
      id: true,
      status: true,
      kind: true,
      projectId: true,
      branchId: true,
      fromSeries: true,
      toSeries: true,
      steps: true,
    },
  });
  if (attempt?.status !== "RUNNING") return false;
  // The production upgrade's own backup, if the worker died while taking it.
  const run = { branchId: attempt.branchId, workerId: takeUp.from };
  await failInlineBackupsOf(services.db(), run);
  if (services.queue) await verifyInlineBackupsOf(services.db(), services.queue, run);
  // The attempt's row records the outcome; its log file only tells the story.
  const log = (line: string) =>
    bestEffort("writing the upgrade log", appendFile(upgradeLogFile(attemptId), `${line}\n`));
  // The step the worker was in when it died is where the attempt failed.
  const steps = (Array.isArray(attempt.steps) ? attempt.steps : []) as unknown as UpgradeStep[];
  const cut = [...steps].reverse().find((step) => step.status === "running")?.name ?? null;
  if (cut) await recordUpgradeStep(attemptId, cut, "failed", INTERRUPTED_UPGRADE);
  await log(`${INTERRUPTED_UPGRADE}${cut ? ` during "${cut}"` : ""}: putting things back`);
  let outcome: UpgradeOutcome;
  await recordUpgradeStep(attemptId, "revert", "running");
  try {
    outcome =
      attempt.kind === "REHEARSAL"
        ? { status: "FAILED", error: await undoRehearsal(services, attempt) }
        : await undoProduction(services, attempt);
    const done =
      outcome.status === "SUCCEEDED"
        ? `production already served on ${attempt.toSeries}: only the clean-up was left`
        : (outcome.error ?? "");
    await recordUpgradeStep(attemptId, "revert", "done", done);
    await log(done);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await recordUpgradeStep(attemptId, "revert", "failed", message);
    await log(`REVERT FAILED: ${message}`);
    outcome = { status: "FAILED", error: `${INTERRUPTED_UPGRADE}; putting things back failed: ${message}` };
  }
  return finishUpgrade(attemptId, { ...outcome, failedStep: outcome.status === "FAILED" ? cut : null });
}

/** At worker start: attempts RUNNING on workers whose heartbeat is gone. */
export async function reconcileUpgrades(
  services: Services & { queue: QueueContext },
  workerId: string,
): Promise<string[]> {
  const live = new Set((await readHeartbeats(services.queue)).map((beat) => beat.workerId));
  live.delete(workerId);
  const running = await services.db().upgradeAttempt.findMany({
    where: { status: "RUNNING" },
    select: { id: true, workerId: true },
  });
  const ended: string[] = [];
  for (const attempt of running) {
    if (attempt.workerId && live.has(attempt.workerId)) continue;
    if (await recoverInterruptedAttempt(services, attempt.id, { from: attempt.workerId, workerId }))
      ended.push(attempt.id);
  }
  return ended;
}
