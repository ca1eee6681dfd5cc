// "Test upgrade" on a staging branch: the latest verified production backup restored into a
// database of the attempt's own (neutralized, new uuid), the upgrade procedure run on it with
// the staging branch's code, then the branch's own modules updated once more on the target
// series. The upgraded copy is kept: for the next days the branch is in upgrade-test mode and
// its builds start from it.
import { randomBytes } from "node:crypto";
import { appendFile, rm } from "node:fs/promises";
import { restoreBackup } from "@gantry/backup";
import { bestEffort } from "@gantry/config";
import { dbServerForStage, imageOf, type UpgradeOutcome, upgradeTestDays } from "@gantry/core";
import { entrypointEnvironment, updateCommand } from "@gantry/odoo";
import { createRole, dropDatabase, dropRole } from "@gantry/postgres";
import { localArchive } from "../backups/archive-file";
import { giveToOdoo } from "../backups/chown";
import { fetchCode } from "../shared/code";
import { reach, workNetwork } from "../shared/network";
import { credentialsCheck, neutralize } from "../shared/neutralize";
import { runToLogFile } from "../shared/odoo-run";
import { filestoreOf } from "../shared/workspace";
import { type AttemptContext, removeAttemptCheckout } from "./attempt-context";
import { engineFor } from "./engines";
import { judgeRuns, logSize } from "./log-findings";
import { runUpgradeProcedure, UpgradeFailure } from "./procedure";

/** Names of the attempt's own role and databases: `gantry_u_<id>`, its source `…_src`. */
export function attemptNames(attemptId: string) {
  if (!/^[a-z0-9]{1,40}$/.test(attemptId)) throw new Error(`unexpected attempt id ${attemptId}`);
  const base = `gantry_u_${attemptId}`;
  return { role: base, copy: base, source: `${base}_src` };
}

export async function rehearse(ctx: AttemptContext): Promise<UpgradeOutcome> {
  const { attempt, job } = ctx;
  const { runtime, db } = job.services;
  const names = attemptNames(attempt.id);
  const server = await dbServerForStage(attempt.projectId, "STAGING");
  const password = randomBytes(24).toString("hex");
  const target = { host: server.host, port: server.port, user: names.role, password };
  const owner = { project: attempt.projectId, branch: attempt.branchId };
  const log = (line: string) => appendFile(ctx.logFile, `${line}\n`);
  let kept = false;
  try {
    const backup = attempt.backupId
      ? await db().backup.findUnique({ where: { id: attempt.backupId } })
      : null;
    if (!backup?.storageKey || backup.deletedAt)
      throw new Error("the production backup to rehearse on is gone");
    if (!attempt.branch.lastSeenSha)
      throw new Error("the staging branch has no commit yet: push to it first");

    await ctx.step("restore", async () => {
      await createRole(server, names.role, password);
      await log(`restoring backup ${backup.id} of ${backup.createdAt.toISOString()} into ${names.source}`);
      const archive = await localArchive(backup.storageKey!, ctx.signal);
      try {
        const restored = await restoreBackup({
          archive: archive.path,
          admin: {
            host: server.host,
            port: server.port,
            user: server.adminUser,
            password: server.adminPassword,
            database: "postgres",
          },
          database: names.source,
          owner: names.role,
          filestore: filestoreOf(ctx.dataDir, names.source),
          asCopy: true,
        });
        await log(`restored ${restored.tables} tables, ${restored.rows} rows, ${restored.files} files`);
      } finally {
        await archive.release();
      }
      await giveToOdoo(filestoreOf(ctx.dataDir, names.source));
      // The source series' image runs the command: the copy's modules are still that series'.
      const source = { ...target, database: names.source };
      const network = await workNetwork(runtime, owner);
      const inside = reach(network, target);
      await neutralize(source, {
        log,
        command: {
          options: { db: names.source, connection: inside, omitPassword: true },
          run: async (cmd) => {
            const exitCode = await runToLogFile(
              runtime,
              {
                name: `gantry-upgrade-${attempt.id}-neutralize`,
                image: imageOf(attempt.fromSeries),
                cmd,
                env: entrypointEnvironment(inside),
                owner,
                labels: { "gantry.role": "upgrade-neutralize" },
                networkMode: network.networkMode,
              },
              ctx.logFile,
              ctx.signal,
            );
            if (exitCode !== 0) throw new Error(`odoo neutralize failed (exit ${exitCode}); see upgrade.log`);
          },
        },
      });
      await credentialsCheck(source, log);
    });

    const code = await fetchCode({
      src: ctx.src,
      commitSha: attempt.branch.lastSeenSha,
      project: attempt.project,
      setting: { mode: "mine" },
    });
    await log(
      `code of ${attempt.branch.name} at ${code.sha.slice(0, 12)}: ${code.repositoryModules.join(", ") || "no modules"}`,
    );

    const report = await runUpgradeProcedure({
      runtime,
      admin: server,
      role: { user: names.role, password },
      source: { database: names.source, dataDir: ctx.dataDir },
      copy: { database: names.copy, dataDir: ctx.dataDir },
      code: { dir: ctx.src, addonsPath: code.addonsPath },
      fromSeries: attempt.fromSeries,
      toSeries: attempt.toSeries,
      image: imageOf(attempt.toSeries),
      engine: engineFor(attempt.engine),
      logFile: ctx.logFile,
      namePrefix: `gantry-upgrade-${attempt.id}`,
      owner,
      signal: ctx.signal,
      onStep: ctx.onStep,
    });

    // The branch's own modules once more on the target series, as each push in test mode will.
    const modules = code.repositoryModules;
    if (modules.length === 0) await ctx.onStep("modules", "skipped", "the repository has no modules");
    else {
      await ctx.step("modules", async () => {
        const from = await logSize(ctx.logFile);
        const network = await workNetwork(runtime, owner);
        const connection = reach(network, target);
        const exitCode = await runToLogFile(
          runtime,
          {
            name: `gantry-upgrade-${attempt.id}-modules`,
            image: imageOf(attempt.toSeries),
            cmd: updateCommand({
              db: names.copy,
              connection,
              omitPassword: true,
              addonsPath: code.addonsPath,
              dataDir: "/var/lib/odoo",
              modules,
            }),
            env: entrypointEnvironment(connection),
            owner,
            labels: { "gantry.role": "upgrade-modules" },
            networkMode: network.networkMode,
            mounts: [
              { type: "bind", source: ctx.src, target: "/mnt/extra-addons", readOnly: true },
              { type: "bind", source: ctx.dataDir, target: "/var/lib/odoo" },
            ],
          },
          ctx.logFile,
          ctx.signal,
        );
        const verdict = await judgeRuns(ctx.logFile, [
          {
            what: `-u ${modules.join(",")}`,
            from,
            to: await logSize(ctx.logFile),
            exitCode,
            stopAfterInit: true,
          },
        ]);
        if (verdict.logStatus === "failed") {
          throw new Error(`updating ${modules.join(", ")} failed: ${verdict.reasons.join("; ")}`);
        }
      });
    }
    kept = true;
    return {
      status: "SUCCEEDED",
      report: { ...report, durationMs: Date.now() - (attempt.startedAt ?? attempt.createdAt).getTime() },
      testModeUntil: new Date(Date.now() + upgradeTestDays * 24 * 3600 * 1000),
      copyDatabase: names.copy,
    };
  } catch (error) {
    const failure = error instanceof UpgradeFailure ? error : null;
    return {
      status: "FAILED",
      report: failure?.report ?? null,
      error: error instanceof Error ? error.message : String(error),
      failedStep: failure?.step ?? null,
    };
  } finally {
    // The outcome above stands; what cannot be removed now is logged (and reconciled at start-up).
    const options = { logger: ctx.job.logger, fields: { attemptId: ctx.attempt.id } };
    await bestEffort(`dropping ${names.source}`, dropDatabase(server, names.source), options);
    await bestEffort(
      `removing the filestore of ${names.source}`,
      rm(filestoreOf(ctx.dataDir, names.source), { recursive: true, force: true }),
      options,
    );
    if (!kept) {
      await bestEffort(`dropping ${names.copy}`, dropDatabase(server, names.copy), options);
      await bestEffort(
        `removing the filestore of ${names.copy}`,
        rm(filestoreOf(ctx.dataDir, names.copy), { recursive: true, force: true }),
        options,
      );
      await bestEffort(`dropping role ${names.role}`, dropRole(server, names.role), options);
    }
    await bestEffort("removing the source checkout", removeAttemptCheckout(attempt.id), options);
  }
}
