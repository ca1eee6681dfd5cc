// The production upgrade, in the order of the old maintenance procedure: (1) a backup tagged
// "upgrade", verified by a restore; (2) production stopped, its host answering a maintenance
// page; (3-6) the upgrade procedure on a working copy (pre script, -u all on the target series,
// post script, a serving check); then the copy swapped in for the live database and (7) a new
// serving container on the target series, verified (health, login page, log rules) before the
// route comes back. Any failure puts back exactly what served before, through the same
// production rollback a build's failed update uses (shared/production-rollback.ts), fed from
// what the attempt stored (its steps, the serving build, the names below): the swap undone, the
// previous container started again; the live database is checksummed before and after, and the
// "upgrade" backup is restored into it only if that checksum moved. A worker that dies
// mid-attempt leaves the same stored state to interrupted.ts, which puts it back the same way.
import { randomBytes } from "node:crypto";
import { appendFile } from "node:fs/promises";
import { join } from "node:path";
import { bestEffort } from "@gantry/config";
import {
  imageOf,
  poolOf,
  routeBuild,
  routeBuildToMaintenance,
  type UpgradeOutcome,
  type UpgradeReport,
  upgradeStepSchema,
} from "@gantry/core";
import type { PrismaClient } from "@gantry/db";
import { actAsRole, createRole } from "@gantry/postgres";
import type { ContainerRuntime } from "@gantry/runtime";
import { z } from "zod";
import { findLiveDatabase } from "../backups/live";
import { restoreBackupInto } from "../backups/restore-into";
import { stopServing } from "../backups/serving";
import { type Swapped, swapIn } from "../backups/swap";
import { takeBackup } from "../backups/take";
import { verifyStoredBackup } from "../backups/verify";
import { fetchCode } from "../shared/code";
import { type ProductionRollback, rollBackProduction } from "../shared/production-rollback";
import { startServing } from "../shared/serve";
import { recordServingNode } from "../shared/serving-node";
import { filestoreOf, odooLogMount, workspaceOf } from "../shared/workspace";
import { type AttemptContext, removeAttemptCheckout } from "./attempt-context";
import { engineFor } from "./engines";
import { type Fingerprint, fingerprint } from "./fingerprint";
import { judgeRuns, logSize } from "./log-findings";
import { runUpgradeProcedure, UpgradeFailure } from "./procedure";
import { attemptNames } from "./rehearsal";

/**
 * What a production upgrade makes beside the live database: the working copy, the names the
 * live database and filestore take during the swap, and the server on the target series. The
 * recovery of an interrupted attempt (interrupted.ts) looks for exactly these.
 */
export function productionUpgradeNames(
  live: { database: string; filestore: string; dataDir: string },
  containerName: string,
  toSeries: string,
) {
  const copy = `${live.database}_upgrade`;
  return {
    copy: { database: copy, filestore: filestoreOf(live.dataDir, copy) },
    aside: { database: `${live.database}_preupgrade`, filestore: `${live.filestore}_preupgrade` },
    container: `${containerName}-${toSeries.replace(/[^0-9a-z.]/gi, "")}`,
  };
}

/** The attempt's containers: its one-off runs (`gantry-upgrade-<id>-…`) and the new server. */
export async function removeAttemptContainers(
  runtime: ContainerRuntime,
  attemptId: string,
  also: string[] = [],
): Promise<void> {
  for (const container of await runtime.listManaged()) {
    if (container.name.startsWith(`gantry-upgrade-${attemptId}`) || also.includes(container.name))
      await runtime.remove(container.id, true);
  }
}

/**
 * What putting production back after this attempt means, from what is stored: the build that
 * serves production (its container and route), how far the attempt went (its recorded steps:
 * production stopped at "stop", the live database renamed aside from "swap" on) and the names
 * the attempt gives what it makes (productionUpgradeNames).
 */
export async function productionUpgradeRollback(
  db: PrismaClient,
  attempt: { id: string; branchId: string; toSeries: string },
): Promise<ProductionRollback> {
  const row = await db.upgradeAttempt.findUniqueOrThrow({
    where: { id: attempt.id },
    select: { steps: true },
  });
  const reached = new Set(
    z
      .array(upgradeStepSchema)
      .parse(row.steps)
      .map((step) => step.name),
  );
  const live = await findLiveDatabase(db, attempt.branchId);
  const build = await db.build.findUniqueOrThrow({
    where: { id: live.build.id },
    select: { id: true, url: true, containerName: true, httpPort: true },
  });
  const made = productionUpgradeNames(
    { database: live.build.databaseName, filestore: live.filestore, dataDir: live.dataDir },
    build.containerName ?? "",
    attempt.toSeries,
  );
  return {
    serverId: live.server.id,
    database: live.build.databaseName,
    filestore: live.filestore,
    // Until the swap the live database is only read: its name back is all there is to undo.
    restore: reached.has("swap") ? { from: "copy", ...made.aside, owner: null } : { from: "untouched" },
    previous: {
      buildId: build.id,
      containerName: build.containerName,
      httpPort: build.httpPort,
      host: build.url ? new URL(build.url).host : null,
      stopped: reached.has("stop"),
    },
    leftovers: {
      databases: [made.copy.database],
      filestores: [made.copy.filestore],
      roles: [attemptNames(attempt.id).role],
    },
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function upgradeProduction(ctx: AttemptContext): Promise<UpgradeOutcome> {
  const { attempt, job } = ctx;
  const { runtime, db, queue } = job.services;
  const log = (line: string) => appendFile(ctx.logFile, `${line}\n`);
  const live = await findLiveDatabase(db(), attempt.branchId);
  const build = await db().build.findUniqueOrThrow({
    where: { id: live.build.id },
    select: { id: true, url: true, containerName: true, httpPort: true, databaseRole: true },
  });
  if (!build.containerName || !build.httpPort || !build.databaseRole || !build.url) {
    return { status: "FAILED", error: "production's serving build has no container, port or role recorded" };
  }
  if (!attempt.branch.lastSeenSha) return { status: "FAILED", error: "the production branch has no commit" };
  const host = new URL(build.url).host;
  const port = build.httpPort;
  const server = live.server;
  const database = live.build.databaseName;
  const names = attemptNames(attempt.id);
  const password = randomBytes(24).toString("hex");
  const owner = { project: attempt.projectId, branch: attempt.branchId };
  const adminConn = {
    host: server.host,
    port: server.port,
    user: server.adminUser,
    password: server.adminPassword,
  };
  const made = productionUpgradeNames(
    { database, filestore: live.filestore, dataDir: live.dataDir },
    build.containerName,
    attempt.toSeries,
  );
  const newContainer = made.container;

  let report: UpgradeReport | null = null;
  let backupId: string | null = null;
  let stopped = false;
  let swapped: Swapped | undefined;
  let before: Fingerprint | undefined;
  let failedStep: UpgradeFailure["step"] | null = null;
  try {
    const code = await fetchCode({
      src: ctx.src,
      commitSha: attempt.branch.lastSeenSha,
      project: attempt.project,
      setting: { mode: "mine" },
    });
    await log(`code of ${attempt.branch.name} at ${code.sha.slice(0, 12)} for ${attempt.toSeries}`);

    failedStep = "backup";
    backupId = await ctx.step("backup", async () => {
      // No verification job: this one is verified here, before production is touched.
      const taken = await takeBackup(
        { db },
        { branchId: attempt.branchId, kind: "UPGRADE", workerId: job.workerId, signal: ctx.signal },
      );
      await db().upgradeAttempt.update({ where: { id: attempt.id }, data: { backupId: taken.id } });
      const verified = await verifyStoredBackup(db(), taken.id, ctx.signal);
      // The backup job may have verified it already: the row says which.
      const row = await db().backup.findUnique({ where: { id: taken.id }, select: { verifyStatus: true } });
      if (row?.verifyStatus !== "VERIFIED") {
        throw new Error(
          `the "upgrade" backup did not verify, production was not touched: ${verified.problems.join("; ") || "verification failed"}`,
        );
      }
      await log(`backup "upgrade" ${taken.id} stored and verified (${taken.sizeBytes} bytes)`);
      return taken.id;
    });

    failedStep = "stop";
    await ctx.step("stop", async () => {
      await routeBuildToMaintenance(build.id, host);
      stopped = await stopServing(runtime, build.containerName);
      before = await fingerprint({ ...adminConn, database }, live.filestore);
      await log(
        `production stopped; ${host} shows the maintenance page; checksum ${before.database.slice(0, 16)}`,
      );
      // The attempt's own role acts as the database's owner (SET ROLE at login), so every object
      // the upgrade creates belongs to the same owner as the rest.
      await createRole(server, names.role, password);
      await actAsRole(server, names.role, build.databaseRole!);
    });

    const copy = made.copy.database;
    failedStep = "update";
    report = await runUpgradeProcedure({
      runtime,
      admin: server,
      role: { user: names.role, password },
      copyOwner: build.databaseRole,
      source: { database, dataDir: live.dataDir },
      copy: { database: copy, dataDir: live.dataDir },
      code: { dir: ctx.src, addonsPath: code.addonsPath },
      fromSeries: attempt.fromSeries,
      toSeries: attempt.toSeries,
      image: imageOf(attempt.toSeries),
      engine: engineFor(attempt.engine, "production"),
      logFile: ctx.logFile,
      namePrefix: `gantry-upgrade-${attempt.id}`,
      owner,
      signal: ctx.signal,
      onStep: ctx.onStep,
    }).catch((error: unknown) => {
      if (error instanceof UpgradeFailure) {
        report = error.report;
        failedStep = error.step;
      }
      throw error;
    });

    failedStep = "swap";
    swapped = await ctx.step("swap", () =>
      swapIn({
        admin: { ...adminConn, database: "postgres" },
        live: { database, filestore: live.filestore },
        incoming: made.copy,
        aside: made.aside,
      }),
    );

    failedStep = "start";
    await ctx.step("start", async () => {
      const logs = workspaceOf(build.id).logs;
      const odooLog = join(logs, "odoo.log");
      const from = await logSize(odooLog);
      await startServing({
        runtime,
        name: newContainer,
        image: imageOf(attempt.toSeries),
        series: attempt.toSeries,
        database,
        connection: { host: server.host, port: server.port, user: names.role, password },
        addonsPath: code.addonsPath,
        mounts: [
          { type: "bind", source: ctx.src, target: "/mnt/extra-addons", readOnly: true },
          { type: "bind", source: live.dataDir, target: "/var/lib/odoo" },
          await odooLogMount(logs),
        ],
        port,
        workers: 2,
        mailLogin: null,
        owner: { ...owner, build: build.id },
        stage: "PRODUCTION",
        pool: poolOf(server, "PRODUCTION"),
        signal: ctx.signal,
      });
      const upstream = await runtime.publishedAddress(newContainer, port);
      const login = await fetch(`http://${upstream}/web/login`, {
        signal: AbortSignal.timeout(10_000),
      });
      if (!login.ok || !/<form[^>]*login/i.test(await login.text())) {
        throw new Error(
          `production's login page did not answer on ${attempt.toSeries} (HTTP ${login.status})`,
        );
      }
      const verdict = await judgeRuns(odooLog, [
        {
          what: `production on ${attempt.toSeries}`,
          from,
          to: await logSize(odooLog),
          exitCode: 0,
          stopAfterInit: false,
        },
      ]);
      if (verdict.logStatus === "failed") {
        throw new Error(`production logs errors on ${attempt.toSeries}: ${verdict.reasons.join("; ")}`);
      }
      await routeBuild(build.id, host, upstream);
      // Recorded before the old container goes: a worker killed in between leaves a row that
      // says "upgraded", which the recovery keeps (interrupted.ts removes the old container
      // then). The other order left a row naming a removed container, which the recovery took
      // for a cut swap and rolled back onto a server that was gone.
      await db().build.update({
        where: { id: build.id },
        data: { containerName: newContainer, odooSeries: attempt.toSeries },
      });
      // The new container serves and is routed: the old one is only in the way.
      await bestEffort(`removing ${build.containerName}`, runtime.remove(build.containerName!, true));
      await recordServingNode(runtime, build.id, newContainer);
      await db().branch.update({ where: { id: attempt.branchId }, data: { odooSeries: attempt.toSeries } });
      await log(`production serves on ${attempt.toSeries} at ${host}`);
    });
    await swapped
      .commit()
      .catch((error) => log(`the pre-upgrade copy could not be dropped: ${describe(error)}`));
    await log(`role ${names.role} serves production until its next build takes the database over`);
    return {
      status: "SUCCEEDED",
      report: report
        ? { ...report, durationMs: Date.now() - (attempt.startedAt ?? attempt.createdAt).getTime() }
        : null,
    };
  } catch (error) {
    const message = describe(error);
    await log(`production upgrade failed: ${message}`);
    const reverted = stopped || swapped !== undefined ? await revert() : true;
    // Production runs its build's own code again: the checkout served only the new series.
    // After a failed revert it stays, with whatever may still mount it.
    if (reverted)
      await bestEffort("removing the code checkout", removeAttemptCheckout(attempt.id), {
        logger: job.logger,
        fields: { attemptId: attempt.id },
      });
    return {
      status: "FAILED",
      report: report ? { ...(report as UpgradeReport), logStatus: "failed" } : null,
      error: message,
      failedStep,
      reverted,
    };
  }

  async function revert(): Promise<boolean> {
    await ctx.onStep("revert", "running");
    try {
      await removeAttemptContainers(runtime, attempt.id, [newContainer]);
      const plan = await productionUpgradeRollback(db(), attempt);
      // Production was running when the attempt stopped it (asleep, it stays asleep).
      if (plan.previous) plan.previous.stopped = stopped;
      const done = await rollBackProduction(runtime, plan, {
        // The checksum taken when production stopped lives only in this worker: after a crash
        // the stored steps say what to undo, and the backup stays for a person to restore.
        beforeRestart: async () => {
          if (!before) return;
          const now = await fingerprint({ ...adminConn, database }, live.filestore);
          if (now.database !== before.database || now.filestore !== before.filestore) {
            await log('the live database changed during the attempt: restoring the "upgrade" backup');
            if (!backupId) throw new Error("no backup to restore");
            await restoreBackupInto(
              { db, runtime, queue },
              { branchId: attempt.branchId, backupId, signal: undefined },
            );
          } else {
            await log("the live database and filestore are exactly as before the attempt (checksums equal)");
          }
        },
      });
      if (done.length > 0) await log(`rolled back: ${done.join("; ")}`);
      await log(`production serves again on ${attempt.fromSeries}, as before`);
      await ctx.onStep("revert", "done", `production serves on ${attempt.fromSeries} as before`);
      return true;
    } catch (error) {
      await log(`REVERT FAILED: ${describe(error)}`);
      await ctx.onStep("revert", "failed", describe(error));
      return false;
    }
  }
}
