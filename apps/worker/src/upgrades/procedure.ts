// The upgrade procedure on one database and its filestore, in the order of the old maintenance
// procedure: copy (the source is never touched), the project's pre-migration script, the
// target series with `-u all` (through the chosen engine), the post-migration script, then the
// target series serving the copy until health and login answer. Every run's output goes to
// upgrade.log; the report carries the durations, the module versions before and after, the
// log findings and the row counts of the main tables. On failure the copy is dropped and an
// UpgradeFailure carries the partial report; on success the caller owns the copy.
import { appendFile, rm, stat } from "node:fs/promises";
import { dirname } from "node:path";
import { bestEffort } from "@gantry/config";
import type { DbServerConnection, UpgradeReport, UpgradeStepName } from "@gantry/core";
import { entrypointEnvironment, redactCommand, updateCommand } from "@gantry/odoo";
import { cloneDatabase, copyFilestore, dropDatabase, withConnection } from "@gantry/postgres";
import type { ContainerRuntime, Mount } from "@gantry/runtime";
import { giveToOdoo } from "../backups/chown";
import { odooLimits } from "../shared/limits";
import { reach, workNetwork } from "../shared/network";
import { runToLogFile } from "../shared/odoo-run";
import { filestoreOf } from "../shared/workspace";
import { baseVersion, moduleChanges, rowChanges, snapshot } from "./database-state";
import type { OdooUpdateExtras, UpgradeEngine } from "./engine";
import { judgeRuns, type LoggedRun, logSize } from "./log-findings";
import { hasProjectScript, runProjectScript } from "./project-script";
import { verifyServing } from "./verify";

export interface ProcedureInput {
  runtime: ContainerRuntime;
  admin: DbServerConnection;
  /** The role Odoo connects as; it owns the working copy unless `copyOwner` says otherwise. */
  role: { user: string; password: string };
  /** The working copy's owner when it is not `role` (production: the role that owns the live database). */
  copyOwner?: string;
  source: { database: string; dataDir: string };
  /** The working copy: a database name that does not exist yet, and the data dir for its filestore. */
  copy: { database: string; dataDir: string };
  /** Host folder of the project's code for the target series, and its addons path inside the container. */
  code: { dir: string; addonsPath: string[] };
  fromSeries: string;
  toSeries: string;
  image: string;
  engine: UpgradeEngine;
  logFile: string;
  /** Container names start with this (`<prefix>-pre`, `-update`, …). */
  namePrefix: string;
  owner: { project?: string; branch?: string };
  signal: AbortSignal;
  onStep?: (
    name: UpgradeStepName,
    status: "running" | "done" | "failed" | "skipped",
    message?: string,
  ) => Promise<void>;
}

export class UpgradeFailure extends Error {
  override readonly name = "UpgradeFailure";
  constructor(
    message: string,
    readonly step: UpgradeStepName,
    readonly report: UpgradeReport,
  ) {
    super(message);
  }
}

export async function runUpgradeProcedure(input: ProcedureInput): Promise<UpgradeReport> {
  const started = Date.now();
  const log = (line: string) => appendFile(input.logFile, `${line}\n`);
  const runs: LoggedRun[] = [];
  const connection = { host: input.admin.host, port: input.admin.port, ...input.role };
  const copyTarget = { ...connection, database: input.copy.database };
  const codeMount: Mount = {
    type: "bind",
    source: input.code.dir,
    target: "/mnt/extra-addons",
    readOnly: true,
  };
  const dataMount: Mount = { type: "bind", source: input.copy.dataDir, target: "/var/lib/odoo" };
  const copyFilestorePath = filestoreOf(input.copy.dataDir, input.copy.database);
  let current: UpgradeStepName = "copy";
  let copied = false;

  const step = async <T>(name: UpgradeStepName, work: () => Promise<T>): Promise<T> => {
    input.signal.throwIfAborted();
    current = name;
    await input.onStep?.(name, "running");
    await log(`==== ${name} ====`);
    const value = await work();
    await input.onStep?.(name, "done");
    return value;
  };
  const logged = async (
    what: string,
    stopAfterInit: boolean,
    work: () => Promise<number>,
  ): Promise<number> => {
    const from = await logSize(input.logFile);
    const exitCode = await work();
    runs.push({ what, from, to: await logSize(input.logFile), exitCode, stopAfterInit });
    return exitCode;
  };

  const sourceSnapshot = await snapshot({ ...connection, database: input.source.database });
  let report = async (): Promise<UpgradeReport> => ({
    engine: input.engine.name,
    fromSeries: input.fromSeries,
    toSeries: input.toSeries,
    durationMs: Date.now() - started,
    ...(await judgeRuns(input.logFile, runs)),
    modules: moduleChanges(sourceSnapshot, sourceSnapshot).map((m) => ({ ...m, after: null, state: null })),
    rows: rowChanges(sourceSnapshot, { modules: new Map(), rows: new Map() }),
  });

  try {
    await log(
      `upgrade ${input.source.database} from ${input.fromSeries} to ${input.toSeries} with ${input.image} (engine ${input.engine.name})`,
    );
    await step("copy", async () => {
      // Checked first, so a leftover folder is never mistaken for this attempt's and removed.
      if (
        await stat(copyFilestorePath).then(
          () => true,
          () => false,
        )
      ) {
        throw new Error(`${copyFilestorePath} already exists: remove it or pick another copy name`);
      }
      await cloneDatabase(
        input.admin,
        input.source.database,
        input.copy.database,
        input.copyOwner ?? input.role.user,
      );
      copied = true;
      // Plain copies, not hard links: giving the files to Odoo changes their owner and mode, which
      // links would share with the source.
      await copyFilestore(filestoreOf(input.source.dataDir, input.source.database), copyFilestorePath, {
        links: false,
        replace: false,
        emptyWhenMissing: true,
      });
      await giveToOdoo(copyFilestorePath);
      await log(`working copy ${input.copy.database} made; the source is not touched from here on`);
    });
    const version = (await withConnection(copyTarget, baseVersion)) ?? input.fromSeries;

    const script = async (which: "pre" | "post") => {
      if (!(await hasProjectScript(input.code.dir, which))) {
        await input.onStep?.(which, "skipped", `no upgrade/${which}.py in the repository`);
        await log(`no upgrade/${which}.py in the repository: skipped`);
        return;
      }
      await step(which, async () => {
        const exitCode = await logged(`upgrade/${which}.py`, false, () =>
          runProjectScript({
            runtime: input.runtime,
            which,
            image: input.image,
            codeDir: input.code.dir,
            connection: copyTarget,
            version,
            containerName: `${input.namePrefix}-${which}`,
            owner: input.owner,
            logFile: input.logFile,
            signal: input.signal,
          }),
        );
        if (exitCode !== 0) throw new Error(`upgrade/${which}.py failed (exit ${exitCode}); see upgrade.log`);
      });
    };

    await script("pre");
    await step("update", async () => {
      const network = await workNetwork(input.runtime, input.owner);
      const inside = reach(network, copyTarget);
      const runOdooUpdate = async (extras: OdooUpdateExtras = {}) => {
        const cmd = [
          ...updateCommand({
            db: input.copy.database,
            connection: inside,
            omitPassword: true,
            addonsPath: [...(extras.addonsPathFirst ?? []), ...input.code.addonsPath],
            dataDir: "/var/lib/odoo",
            modules: "all",
          }),
          ...(extras.args ?? []),
        ];
        await log(`$ ${redactCommand(cmd).join(" ")}`);
        return logged(`-u all on ${input.toSeries}`, true, () =>
          runToLogFile(
            input.runtime,
            {
              name: `${input.namePrefix}-update`,
              image: input.image,
              cmd,
              env: entrypointEnvironment(inside),
              owner: input.owner,
              labels: { "gantry.role": "upgrade-update" },
              networkMode: network.networkMode,
              mounts: [codeMount, dataMount, ...(extras.mounts ?? [])],
              ...odooLimits(true),
            },
            input.logFile,
            input.signal,
          ),
        );
      };
      const { exitCode } = await input.engine.upgrade({
        fromSeries: input.fromSeries,
        toSeries: input.toSeries,
        database: { ...copyTarget, name: input.copy.database },
        filestore: copyFilestorePath,
        admin: input.admin,
        workDir: dirname(input.logFile),
        log,
        runOdooUpdate,
        signal: input.signal,
      });
      const verdict = await judgeRuns(input.logFile, runs.slice(-1));
      if (exitCode !== 0 || verdict.logStatus === "failed") {
        throw new Error(
          `-u all on ${input.toSeries} failed (exit ${exitCode}): ${verdict.reasons.join("; ") || "see upgrade.log"}`,
        );
      }
    });
    await script("post");

    let afterSnapshot = sourceSnapshot;
    report = async () => ({
      engine: input.engine.name,
      fromSeries: input.fromSeries,
      toSeries: input.toSeries,
      durationMs: Date.now() - started,
      ...(await judgeRuns(input.logFile, runs)),
      modules: moduleChanges(sourceSnapshot, afterSnapshot),
      rows: rowChanges(sourceSnapshot, afterSnapshot),
    });
    afterSnapshot = await snapshot(copyTarget, [...sourceSnapshot.rows.keys()]);
    const stale = [...afterSnapshot.modules].filter(([, m]) => m.state !== "installed").map(([name]) => name);
    if (stale.length > 0) {
      current = "update";
      throw new Error(`modules not installed after the update: ${stale.join(", ")}`);
    }

    await step("verify", async () => {
      await logged(`${input.toSeries} serving`, false, async () => {
        await verifyServing({
          runtime: input.runtime,
          name: `${input.namePrefix}-verify`,
          image: input.image,
          series: input.toSeries,
          database: { ...copyTarget, name: input.copy.database },
          addonsPath: input.code.addonsPath,
          mounts: [codeMount, dataMount],
          owner: input.owner,
          logFile: input.logFile,
          signal: input.signal,
        });
        return 0;
      });
      const verdict = await judgeRuns(input.logFile, runs.slice(-1));
      if (verdict.logStatus === "failed") {
        throw new Error(`the upgraded database logs errors when served: ${verdict.reasons.join("; ")}`);
      }
    });
    const final = await report();
    await log(`upgrade done in ${Math.round(final.durationMs / 1000)} s: ${final.logStatus}`);
    return final;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // The failure below is what the attempt records; its bookkeeping must not replace it.
    const note = (line: string) => bestEffort("writing the upgrade log", log(line));
    await bestEffort(`recording step ${current} as failed`, async () =>
      input.onStep?.(current, "failed", message),
    );
    await note(`upgrade failed at ${current}: ${message}`);
    if (copied) {
      const removal = await Promise.allSettled([
        dropDatabase(input.admin, input.copy.database),
        rm(copyFilestorePath, { recursive: true, force: true }),
      ]);
      const left = removal.find((result) => result.status === "rejected");
      await note(
        left
          ? `working copy ${input.copy.database} not fully removed (${String(left.reason)}); ${input.source.database} is as it was`
          : `working copy ${input.copy.database} dropped; ${input.source.database} is as it was`,
      );
    }
    const partial = await report();
    throw new UpgradeFailure(message, current, {
      ...partial,
      logStatus: "failed",
      reasons: [message, ...partial.reasons],
    });
  }
}
