// The build job: one Build row from queued to done, phase by phase (code, image, database,
// install, tests, serve), each phase recorded with its status, times and progress. The
// stage decides how the database is made and what a failure puts back (stages/). A failed
// phase is the build's result (red), not a job failure; only crashes make BullMQ retry.

import { bestEffort } from "@gantry/config";
import {
  buildContainerName,
  claimBuild,
  endPhase,
  finishBuild,
  forkPreviewOf,
  markCancelled,
  servingSlug,
  upgradeTestMode,
} from "@gantry/core";
import type { InstallSetting } from "@gantry/odoo";
import { branchLockName, waitLock } from "@gantry/queue";
import { scanBuildErrors } from "../errors/scan";
import type { JobContext, JobHandler } from "../handler";
import { enforcePreviewLimit } from "../previews/limit";
import { fetchCode } from "../shared/code";
import { prepareWorkspace } from "../shared/workspace";
import { pushOrderTurn } from "./branch-turn";
import { removeBuildContainers } from "./build-containers";
import { cleanupBuild } from "./cleanup";
import {
  type BuildContext,
  CancelledError,
  createContext,
  describe,
  PhaseError,
  type UpgradeTest,
} from "./context";
import { reportToGithub } from "./github-status";
import { prepareImage } from "./image";
import { recoverInterruptedRun } from "./interrupted";
import { notifyBuildEnded } from "./notify";
import { verdictOf } from "./result";
import { servePhase } from "./serve-phase";
import { stageHandler } from "./stages";

export const runBuild: JobHandler<"builds.run"> = async ({ buildId }, context) => {
  const { db } = context.services;
  const initial = await db().build.findUnique({
    where: { id: buildId },
    select: { branchId: true, status: true },
  });
  if (await recoverInterruptedRun(buildId, context)) return { status: "interrupted" };
  if (initial?.status !== "QUEUED") return { status: initial ? `skipped: ${initial.status}` : "missing" };

  // Cancel requests arrive through the row; a poll turns them into an abort of this run.
  const controller = new AbortController();
  const onJobAbort = () => controller.abort(context.signal.reason);
  context.signal.addEventListener("abort", onJobAbort, { once: true });
  const signal = controller.signal;

  const lock = await waitLock(context.services.queue, branchLockName(initial.branchId), signal, {
    onWait: () => context.logger.info({ buildId }, "waiting for the branch's previous build"),
    inTurn: pushOrderTurn(buildId),
  });
  const cancelPoll = setInterval(() => {
    // A poll that fails is tried again a second later.
    void bestEffort(
      "checking for a cancel request",
      db()
        .build.findUnique({ where: { id: buildId }, select: { cancelRequestedAt: true } })
        .then((row) => {
          if (row?.cancelRequestedAt) controller.abort(new CancelledError("cancelled"));
        }),
      { logger: context.logger, fields: { buildId } },
    );
  }, 1000);
  try {
    if (!(await claimBuild(buildId, context.workerId))) return { status: "skipped: not queued" };
    await reportToGithub(buildId, context.logger);
    const outcome = await execute(buildId, context, signal);
    // The result goes to GitHub first: removing older builds can take seconds and is no
    // business of the person waiting for the commit's status.
    await reportToGithub(buildId, context.logger);
    // The build ended: its logs are read to their end (the serving log goes on being read by
    // the periodic rescan) and its commit's runs compared for flaky errors.
    await bestEffort("the final error scan of the build", () => scanBuildErrors(buildId, { final: true }), {
      logger: context.logger,
      fields: { buildId },
    });
    await notifyBuildEnded(buildId, context);
    await bestEffort("the preview limit", () => enforcePreviewLimit(buildId, context), {
      logger: context.logger,
      fields: { buildId },
    });
    await outcome.afterReport?.();
    return { status: outcome.status };
  } finally {
    clearInterval(cancelPoll);
    context.signal.removeEventListener("abort", onJobAbort);
    await lock.release();
  }
};

async function upgradeTestOf(branchId: string): Promise<UpgradeTest | null> {
  const mode = await upgradeTestMode(branchId);
  if (!mode?.copyDatabase || !mode.testModeUntil) return null;
  return {
    attemptId: mode.id,
    database: mode.copyDatabase,
    series: mode.toSeries,
    until: mode.testModeUntil,
  };
}

function installSetting(branch: { moduleInstall: string; moduleList: string[] }): InstallSetting {
  if (branch.moduleInstall === "FULL") return { mode: "full" };
  if (branch.moduleInstall === "LIST") return { mode: "list", modules: branch.moduleList };
  return { mode: "mine" };
}

interface Outcome {
  status: string;
  /** Work left for after the status is reported (retention of older builds). */
  afterReport?: () => Promise<void>;
}

async function execute(id: string, job: JobContext, abort: AbortSignal): Promise<Outcome> {
  const { runtime, db } = job.services;
  const build = await db().build.findUniqueOrThrow({
    where: { id },
    include: { project: true, branch: true },
  });
  const { project, branch } = build;
  const stage = stageHandler(build.stage);
  // Staging in upgrade-test mode builds on the rehearsal's target series.
  const upgradeTest = build.stage === "STAGING" ? await upgradeTestOf(branch.id) : null;
  const series = upgradeTest?.series ?? branch.odooSeries ?? project.odooSeries;
  const ws = await prepareWorkspace(id);
  const owner = { project: project.id, branch: branch.id, build: id };
  const fork = build.stage === "DEVELOPMENT" ? await forkPreviewOf(branch.id) : null;
  // Code and image come first for every stage; the context is complete once they are known.
  let ctx: BuildContext | undefined;
  const early = createContext({
    id,
    build,
    project,
    branch,
    series,
    ws,
    job,
    abort,
    owner,
    upgradeTest,
    fork,
    code: undefined as never,
    image: undefined as never,
  });

  try {
    const code = await early.step("code", async () => {
      const result = await fetchCode({
        src: ws.src,
        commitSha: build.commitSha,
        project,
        setting: installSetting(branch),
        fork,
      });
      await db().build.update({
        where: { id },
        data: {
          odooSeries: series,
          ...(build.commitAuthor ? {} : { commitAuthor: result.author.slice(0, 200) }),
          ...(build.commitMessage ? {} : { commitMessage: result.message.slice(0, 2000) }),
        },
      });
      await endPhase(id, "code", "DONE", {
        output: {
          sha: result.sha,
          addonsPath: result.addonsPath,
          repositoryModules: result.repositoryModules,
          submoduleModules: result.submoduleModules,
          install: result.plan.modules,
          dependencies: result.plan.dependencies,
          standard: result.plan.standard,
        },
      });
      return result;
    });
    const image = await early.step("image", async () => {
      const result = await prepareImage({
        runtime,
        series,
        // A pin names a revision of the branch's own series, not of an upgrade test's target.
        pinnedRevision: upgradeTest ? null : branch.odooRevision,
        src: ws.src,
        pipLog: early.log("pip.log"),
        containerName: buildContainerName(id, "tool"),
        owner,
        pool: await early.pool(),
      });
      await db().build.update({ where: { id }, data: { odooRevision: result.revision } });
      await endPhase(id, "image", "DONE", {
        message: `${result.image} (Odoo ${series}, revision ${result.revision})`,
        output: {
          image: result.image,
          revision: result.revision,
          derived: result.derived,
          requirements: result.requirements,
        },
      });
      return result;
    });
    ctx = Object.assign(early, { code, image });

    const prepared = await stage.prepare(ctx);
    const verdict = await verdictOf(ctx.runs);
    const slug = servingSlug(build.stage, project.slug, branch.name, id);
    const url = await ctx.step("serve", () =>
      servePhase(ctx as BuildContext, prepared, stage.serveSettings(), slug),
    );
    await stage.afterServe?.(ctx, prepared);
    await finishBuild(id, { result: verdict.result, errorSummary: verdict.errorSummary, url });
    job.logger.info({ buildId: id, result: verdict.result }, "build finished");
    const served = ctx;
    return {
      status: verdict.result,
      afterReport: () => afterBuild(served, stage.buildsToClean),
    };
  } catch (error) {
    const cancelled = abort.aborted && abort.reason instanceof CancelledError;
    const current = ctx ?? early;
    // Whatever happened, the stage puts back what it changed (production: its rollback).
    const recovered = ctx && stage.recover ? await safeRecover(ctx, error) : undefined;
    if (cancelled) {
      await markCancelled(id);
      await bestEffort("cleaning the cancelled build", cleanupBuild(runtime, id), {
        logger: job.logger,
        fields: { buildId: id },
      });
      return { status: "CANCELLED" };
    }
    if (abort.aborted) throw error; // job timeout or shutdown: BullMQ decides
    const failedPhase = error instanceof PhaseError ? error.phase : current.current();
    // The build is marked FAILED below either way; the phase row only adds detail.
    await bestEffort(
      `marking phase ${failedPhase} failed`,
      endPhase(id, failedPhase, "FAILED", { message: describe(error) }),
      { logger: job.logger, fields: { buildId: id } },
    );
    const verdict = current.runs.length > 0 ? await verdictOf(current.runs) : null;
    const summary = [describe(error), verdict?.errorSummary, recovered].filter(Boolean).join("\n");
    await finishBuild(id, { result: "FAILED", errorSummary: summary });
    // Nothing serves a failed build: its containers go now, its database with retention.
    await bestEffort("removing the failed build's containers", removeBuildContainers(runtime, id), {
      logger: job.logger,
      fields: { buildId: id },
    });
    job.logger.warn({ buildId: id, phase: failedPhase, err: error }, "build failed");
    return {
      status: "FAILED",
      afterReport: () => afterBuild(current, stage.buildsToClean),
    };
  }
}

async function safeRecover(ctx: BuildContext, error: unknown): Promise<string | undefined> {
  try {
    return await stageHandler(ctx.build.stage).recover?.(ctx, error);
  } catch (failure) {
    ctx.job.logger.error({ buildId: ctx.id, err: failure }, "putting back the previous state failed");
    return `putting back the previous state failed: ${describe(failure)}`;
  }
}

/** Retention once the build is reported: its failure changes nothing about the build's result. */
async function afterBuild(
  ctx: BuildContext,
  toClean: (ctx: BuildContext) => Promise<string[]>,
): Promise<void> {
  await bestEffort("retention after the build", retention(ctx, toClean), {
    logger: ctx.job.logger,
    fields: { buildId: ctx.id },
  });
}

async function retention(
  ctx: BuildContext,
  toClean: (ctx: BuildContext) => Promise<string[]>,
): Promise<void> {
  for (const old of await toClean(ctx)) {
    if (old === ctx.id) continue;
    await cleanupBuild(ctx.job.services.runtime, old).catch((error) =>
      ctx.job.logger.warn({ err: error, buildId: old }, "cleaning an old build failed"),
    );
  }
}
