// What a running upgrade attempt carries: its row, its folder (upgrade.log, data, code), a
// signal aborted by a cancel request or the job's timeout, and the step recorder that keeps
// the row's steps in step with upgrade.log.
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { bestEffort } from "@gantry/config";
import {
  recordUpgradeStep,
  type UpgradeStep,
  type UpgradeStepName,
  upgradeDir,
  upgradeLogFile,
} from "@gantry/core";
import type { PrismaClient } from "@gantry/db";
import type { JobContext } from "../handler";
import { odooWritable } from "../shared/workspace";

export class CancelledError extends Error {
  override readonly name = "CancelledError";
}

/**
 * Where an attempt checks the branch's code out. A rehearsal removes it when it ends; a
 * production upgrade keeps it while the upgraded server mounts it, and removes it when it puts
 * production back (the previous server runs its build's own code). An attempt ended by another
 * worker (interrupted.ts) removes it the same way, or it would stay for good.
 */
export function attemptCheckout(attemptId: string): string {
  return join(upgradeDir(attemptId), "src");
}

export function removeAttemptCheckout(attemptId: string): Promise<void> {
  return rm(attemptCheckout(attemptId), { recursive: true, force: true });
}

export type AttemptRow = NonNullable<Awaited<ReturnType<typeof loadAttempt>>>;

export function loadAttempt(db: PrismaClient, attemptId: string) {
  return db.upgradeAttempt.findUnique({
    where: { id: attemptId },
    include: { project: true, branch: true },
  });
}

export interface AttemptContext {
  attempt: AttemptRow;
  job: JobContext;
  dir: string;
  logFile: string;
  /** Odoo's data dir for the attempt's own databases (rehearsal), writable by uid 101. */
  dataDir: string;
  /** Where the branch's code is checked out. */
  src: string;
  signal: AbortSignal;
  onStep: (name: UpgradeStepName, status: UpgradeStep["status"], message?: string) => Promise<void>;
  /** Runs `work` as one step: recorded running, then done, or failed with the error's message. */
  step<T>(name: UpgradeStepName, work: () => Promise<T>): Promise<T>;
  close(): void;
}

export async function openAttempt(attempt: AttemptRow, job: JobContext): Promise<AttemptContext> {
  const dir = upgradeDir(attempt.id);
  await mkdir(dir, { recursive: true, mode: 0o755 });
  const dataDir = join(dir, "data");
  await odooWritable(dataDir);
  const controller = new AbortController();
  const onJobAbort = () => controller.abort(job.signal.reason);
  job.signal.addEventListener("abort", onJobAbort, { once: true });
  const poll = setInterval(() => {
    // A poll that fails is tried again a second later.
    void bestEffort(
      "checking for a cancel request",
      job.services
        .db()
        .upgradeAttempt.findUnique({ where: { id: attempt.id }, select: { cancelRequestedAt: true } })
        .then((row) => {
          if (row?.cancelRequestedAt) controller.abort(new CancelledError("cancelled by an Admin"));
        }),
      { logger: job.logger, fields: { attemptId: attempt.id } },
    );
  }, 1000);
  const onStep = (name: UpgradeStepName, status: UpgradeStep["status"], message?: string) =>
    recordUpgradeStep(attempt.id, name, status, message);
  return {
    attempt,
    job,
    dir,
    logFile: upgradeLogFile(attempt.id),
    dataDir,
    src: attemptCheckout(attempt.id),
    signal: controller.signal,
    onStep,
    async step(name, work) {
      controller.signal.throwIfAborted();
      await onStep(name, "running");
      try {
        const value = await work();
        await onStep(name, "done");
        return value;
      } catch (error) {
        await onStep(name, "failed", error instanceof Error ? error.message : String(error));
        throw error;
      }
    },
    close() {
      clearInterval(poll);
      job.signal.removeEventListener("abort", onJobAbort);
    },
  };
}
