// The worker's side of an upgrade attempt: claim it, record each step as it starts and ends,
// and finish it. Status changes are compare-and-set: zero rows means someone else moved it.
import { type Prisma, prisma } from "@gantry/db";
import type { UpgradeReport, UpgradeStep, UpgradeStepName } from "./report";

/** SCHEDULED or QUEUED -> RUNNING for this worker; false when it is no longer waiting. */
export async function claimUpgrade(attemptId: string, workerId: string): Promise<boolean> {
  const claimed = await prisma().upgradeAttempt.updateMany({
    where: { id: attemptId, status: { in: ["SCHEDULED", "QUEUED"] } },
    data: { status: "RUNNING", workerId, startedAt: new Date() },
  });
  return claimed.count === 1;
}

/** SCHEDULED -> QUEUED (the push arrived); false when it was cancelled meanwhile. */
export async function queueScheduledUpgrade(attemptId: string): Promise<boolean> {
  const moved = await prisma().upgradeAttempt.updateMany({
    where: { id: attemptId, status: "SCHEDULED" },
    data: { status: "QUEUED" },
  });
  return moved.count === 1;
}

/** Adds or updates one step of the attempt (the worker is its only writer while it runs). */
export async function recordUpgradeStep(
  attemptId: string,
  name: UpgradeStepName,
  status: UpgradeStep["status"],
  message?: string,
): Promise<void> {
  const row = await prisma().upgradeAttempt.findUnique({ where: { id: attemptId }, select: { steps: true } });
  const steps = (Array.isArray(row?.steps) ? row.steps : []) as UpgradeStep[];
  const now = new Date().toISOString();
  const open = [...steps].reverse().find((s) => s.name === name && s.status === "running");
  if (open && status !== "running") {
    open.status = status;
    open.finishedAt = now;
    open.message = message?.slice(0, 2000) ?? open.message;
  } else {
    steps.push({
      name,
      status,
      startedAt: now,
      finishedAt: status === "running" ? null : now,
      message: message?.slice(0, 2000) ?? null,
    });
  }
  await prisma().upgradeAttempt.update({
    where: { id: attemptId },
    data: { steps: steps as unknown as Prisma.InputJsonValue },
  });
}

export interface UpgradeOutcome {
  status: "SUCCEEDED" | "FAILED" | "CANCELLED";
  report?: UpgradeReport | null;
  error?: string | null;
  failedStep?: UpgradeStepName | null;
  reverted?: boolean;
  testModeUntil?: Date | null;
  copyDatabase?: string | null;
}

/** RUNNING -> its outcome; false when the attempt was no longer running. */
export async function finishUpgrade(attemptId: string, outcome: UpgradeOutcome): Promise<boolean> {
  const done = await prisma().upgradeAttempt.updateMany({
    where: { id: attemptId, status: "RUNNING" },
    data: {
      status: outcome.status,
      finishedAt: new Date(),
      ...(outcome.report ? { report: outcome.report as unknown as Prisma.InputJsonValue } : {}),
      error: outcome.error?.slice(0, 8000) ?? null,
      failedStep: outcome.failedStep ?? null,
      reverted: outcome.reverted ?? false,
      testModeUntil: outcome.testModeUntil ?? null,
      copyDatabase: outcome.copyDatabase ?? null,
    },
  });
  return done.count === 1;
}

/**
 * A staging branch in upgrade-test mode: its latest successful rehearsal, still within its
 * days, with the upgraded copy each push restores before updating the branch's modules.
 */
export async function upgradeTestMode(branchId: string) {
  return prisma().upgradeAttempt.findFirst({
    where: {
      branchId,
      kind: "REHEARSAL",
      status: "SUCCEEDED",
      testModeUntil: { gt: new Date() },
      copyDatabase: { not: null },
    },
    orderBy: { finishedAt: "desc" },
    select: { id: true, toSeries: true, copyDatabase: true, testModeUntil: true },
  });
}
