// What every phase of one build shares: the rows, the work tree, the code and image found by
// the first phases, the abort signal, and the helpers that record a phase's start and end.
import { appendFile } from "node:fs/promises";
import { join } from "node:path";
import { bestEffort } from "@gantry/config";
import {
  type BuildPhaseName,
  buildContainerName,
  closePhase,
  endPhase,
  phaseProgress,
  poolForStage,
  startPhase,
} from "@gantry/core";
import type { Branch, Build, Project } from "@gantry/db";
import { type DbConnection, entrypointEnvironment, redactCommand } from "@gantry/odoo";
import type { ContainerSpec, Mount } from "@gantry/runtime";
import { scanBuildErrors } from "../errors/scan";
import type { JobContext } from "../handler";
import type { CodeResult } from "../shared/code";
import { ADDONS_MOUNT } from "../shared/code";
import { odooLimits } from "../shared/limits";
import { type OdooNetwork, projectNetwork, reach } from "../shared/network";
import { runToLogFile } from "../shared/odoo-run";
import type { Workspace } from "../shared/workspace";
import type { ImageResult } from "./image";
import type { RunOutcome } from "./result";

export class CancelledError extends Error {
  override readonly name = "CancelledError";
}

/** A phase that failed for a reason worth showing as it is (not a crash). */
export class PhaseError extends Error {
  override readonly name = "PhaseError";
  constructor(
    readonly phase: BuildPhaseName,
    message: string,
  ) {
    super(message);
  }
}

export function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export interface UpgradeTest {
  attemptId: string;
  /** The upgraded copy (kept by the rehearsal, never served). */
  database: string;
  series: string;
  until: Date;
}

export const ODOO_DATA_MOUNT = "/var/lib/odoo";

export interface BuildContext {
  id: string;
  build: Build;
  project: Project;
  branch: Branch;
  series: string;
  ws: Workspace;
  job: JobContext;
  abort: AbortSignal;
  owner: { project: string; branch: string; build: string };
  code: CodeResult;
  image: ImageResult;
  /** Staging in upgrade-test mode: the rehearsal whose upgraded copy this build starts from. */
  upgradeTest: UpgradeTest | null;
  /** A fork's pull request: a stranger's code, built without the deploy key and without egress. */
  fork: { number: number } | null;
  /** Every Odoo run whose log decides the result (runbot's rules). */
  runs: RunOutcome[];
  log(file: string): string;
  /** Runs a phase: RUNNING, the work, DONE (unless the work ended it itself). */
  step<T>(name: BuildPhaseName, work: () => Promise<T>): Promise<T>;
  skip(name: BuildPhaseName, reason: string): Promise<void>;
  progress(name: BuildPhaseName, value: number, message?: string): Promise<void>;
  /** The phase running now: a crash is charged to it. */
  current(): BuildPhaseName;
  /** The build's network (its project's, for its stage; isolated for a fork), made on first use. */
  network(): Promise<OdooNetwork>;
  /** The pool of nodes its work runs on (its stage's database server's), read on first use. */
  pool(): Promise<string>;
}

export function createContext(
  input: Omit<BuildContext, "log" | "step" | "skip" | "progress" | "current" | "runs" | "network" | "pool">,
): BuildContext {
  let phase: BuildPhaseName = "code";
  let network: Promise<OdooNetwork> | undefined;
  let pool: Promise<string> | undefined;
  return {
    ...input,
    runs: [],
    pool() {
      pool ??= poolForStage(input.project.id, input.build.stage);
      pool.catch(() => {
        pool = undefined;
      });
      return pool;
    },
    network() {
      network ??= projectNetwork(
        input.job.services.runtime,
        input.project.id,
        input.fork ? null : input.build.stage,
      );
      // A failed attempt is not kept: the next phase tries again.
      network.catch(() => {
        network = undefined;
      });
      return network;
    },
    log: (file) => join(input.ws.logs, file),
    current: () => phase,
    async step(name, work) {
      input.abort.throwIfAborted();
      phase = name;
      await startPhase(input.id, name);
      try {
        const value = await work();
        await closePhase(input.id, name);
        return value;
      } finally {
        // Whatever the phase's outcome, its log's errors are grouped as soon as it ends.
        await bestEffort("scanning the build's logs for errors", () => scanBuildErrors(input.id), {
          logger: input.job.logger,
          fields: { buildId: input.id, phase: name },
        });
      }
    },
    skip: (name, reason) => endPhase(input.id, name, "SKIPPED", { message: reason }),
    progress: (name, value, message) => phaseProgress(input.id, name, value, message),
  };
}

/** A database connection as the build's containers reach it (through their network). */
export async function inContainer(ctx: BuildContext, connection: DbConnection): Promise<DbConnection> {
  return reach(await ctx.network(), connection);
}

/** A build phase's own lines in a log file, so the log tells what the platform did. */
export async function note(file: string, line: string): Promise<void> {
  await appendFile(file, `${new Date().toISOString()} gantry: ${line}\n`);
}

/** The mounts of a one-off Odoo run: the code read-only, the data dir writable. */
export function odooMounts(ctx: BuildContext, dataDir: string): Mount[] {
  return [
    { type: "bind", source: ctx.ws.src, target: ADDONS_MOUNT, readOnly: true },
    { type: "bind", source: dataDir, target: ODOO_DATA_MOUNT },
  ];
}

/**
 * One Odoo command to its end in a container of the build (install, tests, update,
 * neutralize), its output in `logFile`, the command itself (password-free) noted first.
 * `cmd` must name the database as the container reaches it: `inContainer(ctx, connection)`.
 */
export async function runOdoo(
  ctx: BuildContext,
  input: {
    role: "install" | "tests" | "update" | "tool";
    cmd: string[];
    connection: DbConnection;
    dataDir: string;
    logFile: string;
  },
): Promise<number> {
  await note(input.logFile, `$ ${redactCommand(input.cmd).join(" ")}`);
  const network = await ctx.network();
  const spec: ContainerSpec = {
    name: buildContainerName(ctx.id, input.role),
    image: ctx.image.image,
    cmd: input.cmd,
    env: entrypointEnvironment(reach(network, input.connection)),
    owner: ctx.owner,
    labels: { "gantry.role": input.role },
    networkMode: network.networkMode,
    mounts: odooMounts(ctx, input.dataDir),
    pool: await ctx.pool(),
    ...odooLimits(ctx.build.stage === "PRODUCTION"),
  };
  return runToLogFile(ctx.job.services.runtime, spec, input.logFile, ctx.abort);
}
