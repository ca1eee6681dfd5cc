// The build job: one Build row from queued to done, phase by phase (code, image, database,
// install, tests, serve), each phase recorded with its status, times and progress. A failed
// phase is the build's result (red), not a job failure; only crashes make BullMQ retry.
import { randomBytes } from "node:crypto";
import { appendFile } from "node:fs/promises";
import { join } from "node:path";
import {
  type BuildPhaseName,
  buildContainerName,
  buildDatabaseName,
  buildHost,
  buildSlug,
  claimBuild,
  dbServerForStage,
  endPhase,
  finishBuild,
  markCancelled,
  phaseProgress,
  routeBuild,
  startPhase,
} from "@gantry/core";
import { entrypointEnvironment, type InstallSetting, installCommand, templateKey } from "@gantry/odoo";
import type { JobHandler } from "../../handler";
import { acquireBranchLock } from "./branch-lock";
import { pushOrderTurn } from "./branch-turn";
import { cleanupBuild } from "./cleanup";
import { type CodeResult, fetchCode } from "./code";
import { reportToGithub } from "./github-status";
import { prepareImage } from "./image";
import { recoverInterruptedRun } from "./interrupted";
import { runToLogFile } from "./odoo-run";
import { createRole } from "./pg-admin";
import { type RunOutcome, verdictOf } from "./result";
import { branchBuildsToClean } from "./retention";
import { pickPort, startServing } from "./serve";
import { cloneTemplate, ensureTemplate, evictTemplates } from "./templates";
import { prepareWorkspace } from "./workspace";

class CancelledError extends Error {
  override readonly name = "CancelledError";
}

class PhaseError extends Error {
  override readonly name = "PhaseError";
  constructor(
    readonly phase: BuildPhaseName,
    message: string,
  ) {
    super(message);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export const runBuild: JobHandler<"builds.run"> = async ({ buildId }, context) => {
  const { runtime, queue, db } = context.services;
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

  const lock = await acquireBranchLock(
    queue,
    initial.branchId,
    signal,
    () => context.logger.info({ buildId }, "waiting for the branch's previous build"),
    pushOrderTurn(buildId),
  );
  const cancelPoll = setInterval(() => {
    void db()
      .build.findUnique({ where: { id: buildId }, select: { cancelRequestedAt: true } })
      .then((row) => {
        if (row?.cancelRequestedAt) controller.abort(new CancelledError("cancelled"));
      })
      .catch(() => {});
  }, 1000);
  try {
    if (!(await claimBuild(buildId, context.workerId))) return { status: "skipped: not queued" };
    await reportToGithub(buildId, context.logger);
    const status = await execute(buildId, context, signal);
    await reportToGithub(buildId, context.logger);
    return { status };
  } finally {
    clearInterval(cancelPoll);
    context.signal.removeEventListener("abort", onJobAbort);
    await lock.release();
  }

  async function execute(id: string, ctx: typeof context, abort: AbortSignal): Promise<string> {
    const build = await db().build.findUniqueOrThrow({
      where: { id },
      include: { project: true, branch: true },
    });
    const { project, branch } = build;
    const owner = { project: project.id, branch: branch.id, build: id };
    const series = branch.odooSeries ?? project.odooSeries;
    const ws = await prepareWorkspace(id);
    const log = (file: string) => join(ws.logs, file);
    const runs: RunOutcome[] = [];
    let phase: BuildPhaseName = "code";

    const step = async <T>(name: BuildPhaseName, work: () => Promise<T>): Promise<T> => {
      abort.throwIfAborted();
      phase = name;
      await startPhase(id, name);
      const value = await work();
      await endPhase(id, name, "DONE");
      return value;
    };
    const skip = (name: BuildPhaseName, message: string) => endPhase(id, name, "SKIPPED", { message });

    try {
      if (build.stage !== "DEVELOPMENT") {
        throw new PhaseError(
          "code",
          `${build.stage.toLowerCase()} builds are not supported by this worker yet`,
        );
      }
      const setting: InstallSetting =
        branch.moduleInstall === "FULL"
          ? { mode: "full" }
          : branch.moduleInstall === "LIST"
            ? { mode: "list", modules: branch.moduleList }
            : { mode: "mine" };

      const code: CodeResult = await step("code", async () => {
        const result = await fetchCode({ src: ws.src, commitSha: build.commitSha, project, setting });
        await db().build.update({
          where: { id },
          data: {
            odooSeries: series,
            ...(build.commitAuthor ? {} : { commitAuthor: result.author.slice(0, 200) }),
            ...(build.commitMessage ? {} : { commitMessage: result.message.slice(0, 2000) }),
          },
        });
        await db().buildPhase.update({
          where: { buildId_name: { buildId: id, name: "code" } },
          data: {
            output: {
              sha: result.sha,
              addonsPath: result.addonsPath,
              repositoryModules: result.repositoryModules,
              submoduleModules: result.submoduleModules,
              install: result.plan.modules,
              dependencies: result.plan.dependencies,
              standard: result.plan.standard,
            },
          },
        });
        return result;
      });

      const image = await step("image", () =>
        prepareImage({
          runtime,
          series,
          src: ws.src,
          pipLog: log("pip.log"),
          containerName: buildContainerName(id, "tool"),
          owner,
        }),
      );

      // Development: a fresh database cloned from the template of the standard modules.
      const server = await dbServerForStage(project.id, "DEVELOPMENT");
      const database = buildDatabaseName(id);
      const password = randomBytes(24).toString("hex");
      const connection = { host: server.host, port: server.port, user: database, password };
      const demo = true;
      await step("database", async () => {
        await db().build.update({
          where: { id },
          data: { dbServerId: server.id, databaseName: database, databaseRole: database },
        });
        await createRole(server, database, password);
        const imageId = image.image;
        const key = templateKey({ series, demo, modules: code.plan.standard, image: imageId });
        await phaseProgress(id, "database", 10, `template ${key.databaseName}`);
        const template = await ensureTemplate({
          runtime,
          queue,
          server,
          key,
          image: image.image,
          series,
          logFile: log("install.log"),
          containerName: buildContainerName(id, "install"),
          owner,
          signal: abort,
        });
        await phaseProgress(id, "database", 80, template.built ? "template built" : "template reused");
        await cloneTemplate({ server, template: template.name, database, role: database, dataDir: ws.data });
        await endPhase(id, "database", "DONE", {
          message: `${database} from ${template.name}${template.built ? " (built now)" : " (cached)"}`,
          output: { template: template.name, templateBuilt: template.built, server: server.name },
        });
      });

      const odooSpec = (role: "install" | "tests", cmd: string[]) => ({
        name: buildContainerName(id, role),
        image: image.image,
        cmd,
        env: entrypointEnvironment(connection),
        owner,
        labels: { "gantry.role": role },
        networkMode: "host",
        mounts: [
          { type: "bind" as const, source: ws.src, target: "/mnt/extra-addons", readOnly: true },
          { type: "bind" as const, source: ws.data, target: "/var/lib/odoo" },
        ],
      });
      const common = {
        db: database,
        connection,
        omitPassword: true,
        addonsPath: code.addonsPath,
        dataDir: "/var/lib/odoo",
      };
      const full = setting.mode === "full";
      // Checkout modules needed but not asked for (e.g. from submodules) are dependencies: no tests.
      const installModules = full
        ? code.plan.order.filter((m) => !code.plan.standard.includes(m))
        : code.plan.dependencies;

      let lastExit = 0;
      await step("install", async () => {
        if (installModules.length === 0) {
          await appendFile(log("install.log"), "no dependencies to install beyond the template\n");
          return;
        }
        const exitCode = await runToLogFile(
          runtime,
          odooSpec(
            "install",
            installCommand({ ...common, modules: installModules, series, demo, tests: false }),
          ),
          log("install.log"),
          abort,
        );
        runs.push({ logFile: log("install.log"), exitCode });
        lastExit = exitCode;
        if (exitCode !== 0)
          throw new PhaseError(
            "install",
            `installing ${installModules.join(", ")} failed (exit ${exitCode})`,
          );
      });

      if (full || code.plan.modules.length === 0) {
        await skip("tests", full ? "full installation: tests off" : "no modules of the repository to test");
      } else {
        await step("tests", async () => {
          const exitCode = await runToLogFile(
            runtime,
            odooSpec(
              "tests",
              installCommand({
                ...common,
                modules: code.plan.modules,
                series,
                demo,
                tests: branch.testTags ? { tags: branch.testTags } : {},
              }),
            ),
            log("tests.log"),
            abort,
          );
          runs.push({ logFile: log("tests.log"), exitCode });
          lastExit = exitCode;
          // Exit 1 is failed tests: the database is there and can still be served.
          if (exitCode !== 0 && exitCode !== 1) {
            throw new PhaseError("tests", `Odoo could not initialize the database (exit ${exitCode})`);
          }
          if (exitCode !== 0) await endPhase(id, "tests", "FAILED", { message: "tests failed" });
        }).catch(async (error) => {
          throw error;
        });
      }

      const verdict = await verdictOf(runs);
      const slug = buildSlug(project.slug, branch.name, id);
      const host = buildHost(slug);
      const url = `http://${host}`;
      await step("serve", async () => {
        const port = await pickPort();
        const name = buildContainerName(id, "serve");
        await db().build.update({ where: { id }, data: { httpPort: port, containerName: name } });
        await startServing({
          runtime,
          name,
          image: image.image,
          database,
          connection,
          addonsPath: code.addonsPath,
          mounts: [
            { type: "bind", source: ws.src, target: "/mnt/extra-addons", readOnly: true },
            { type: "bind", source: ws.data, target: "/var/lib/odoo" },
            { type: "bind", source: ws.logs, target: "/var/log/gantry-build" },
          ],
          port,
          workers: 1,
          withMailCatcher: true,
          owner,
          signal: abort,
        });
        await routeBuild(id, host, port);
        await db().build.update({ where: { id }, data: { servingAt: new Date(), url } });
        await endPhase(id, "serve", "DONE", { message: `http://127.0.0.1:${port}`, output: { port } });
      });
      void lastExit;

      await finishBuild(id, { result: verdict.result, errorSummary: verdict.errorSummary, url });
      ctx.logger.info({ buildId: id, result: verdict.result }, "build finished");
      await retention(branch.id, id);
      await evictTemplates(queue, server).catch((error) =>
        ctx.logger.warn({ err: error }, "template eviction failed"),
      );
      return verdict.result;
    } catch (error) {
      const cancelled = abort.aborted && abort.reason instanceof CancelledError;
      if (cancelled) {
        await markCancelled(id);
        await cleanupBuild(runtime, id).catch(() => {});
        return "CANCELLED";
      }
      if (abort.aborted) throw error; // job timeout or shutdown: BullMQ decides
      const failedPhase = error instanceof PhaseError ? error.phase : phase;
      await endPhase(id, failedPhase, "FAILED", { message: describe(error) }).catch(() => {});
      const verdict = runs.length > 0 ? await verdictOf(runs) : null;
      const summary = [describe(error), verdict?.errorSummary].filter(Boolean).join("\n");
      await finishBuild(id, { result: "FAILED", errorSummary: summary });
      // Nothing serves a failed build: its containers go now, its database with retention.
      const { removeBuildContainers } = await import("./cleanup");
      await removeBuildContainers(runtime, id).catch(() => {});
      ctx.logger.warn({ buildId: id, phase: failedPhase, err: error }, "build failed");
      await retention(branch.id, id).catch(() => {});
      return "FAILED";
    }
  }

  async function retention(branchId: string, currentId: string): Promise<void> {
    for (const old of await branchBuildsToClean(branchId, "DEVELOPMENT")) {
      if (old === currentId) continue;
      await cleanupBuild(runtime, old).catch((error) =>
        context.logger.warn({ err: error, buildId: old }, "cleaning an old build failed"),
      );
    }
  }
};
