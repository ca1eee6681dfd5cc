// Use-cases of the Upgrade tab: what a branch can be upgraded to, its attempts, a rehearsal on
// staging, the production upgrade (at a time or with the next push), cancel, and the
// acknowledgement of a failure. Every one asks the access policy ("upgrade": Admins, on
// production and staging) first; state changes are compare-and-set.
import { join, resolve } from "node:path";
import { config } from "@gantry/config";
import { type Prisma, prisma } from "@gantry/db";
import { awaitPushJobId, enqueue, upgradeJobId } from "@gantry/queue";
import { z } from "zod";
import { type Actor, assertCan, can } from "../access";
import { recordAudit } from "../audit";
import { AppError } from "../errors";
import { type UpgradeReport, type UpgradeStep, upgradeReportSchema, upgradeStepSchema } from "./report";
import { availableTargets } from "./targets";

export const upgradeEngines = ["scripts", "openupgrade", "odoo-service"] as const;
export type UpgradeEngineName = (typeof upgradeEngines)[number];

/** How long a successful rehearsal keeps its branch in upgrade-test mode, and vouches for production. */
export const upgradeTestDays = 30;
/** How often a waiting production upgrade looks for the push. */
export const awaitPushEveryMs = 30_000;

const series = z.string().regex(/^(\d{1,3}\.0|saas-\d{1,3}\.\d{1,2})$/, "an Odoo series such as 17.0");

export const rehearsalInput = z
  .object({ toSeries: series, engine: z.enum(upgradeEngines).default("scripts") })
  .strict();

export const productionUpgradeInput = z
  .object({
    toSeries: series,
    engine: z.enum(upgradeEngines).default("scripts"),
    when: z.discriminatedUnion("mode", [
      z.object({ mode: z.literal("at"), at: z.iso.datetime({ offset: true }) }).strict(),
      z.object({ mode: z.literal("next-push") }).strict(),
    ]),
  })
  .strict();

const activeStatuses = ["SCHEDULED", "QUEUED", "RUNNING"] as const;

const attemptFields = {
  id: true,
  projectId: true,
  branchId: true,
  kind: true,
  status: true,
  engine: true,
  fromSeries: true,
  toSeries: true,
  scheduledFor: true,
  onNextPush: true,
  backupId: true,
  steps: true,
  report: true,
  error: true,
  failedStep: true,
  reverted: true,
  acknowledgedAt: true,
  testModeUntil: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
} as const satisfies Prisma.UpgradeAttemptSelect;

const stepsSchema = z.array(upgradeStepSchema).catch([]);
const reportSchema = upgradeReportSchema.nullable().catch(null);

/** The row with its JSON columns read through their schemas (a malformed one reads as empty). */
function typed<T extends { steps: Prisma.JsonValue; report: Prisma.JsonValue }>(
  row: T,
): Omit<T, "steps" | "report"> & { steps: UpgradeStep[]; report: UpgradeReport | null } {
  const { steps, report, ...rest } = row;
  return { ...rest, steps: stepsSchema.parse(steps), report: reportSchema.parse(report) };
}

export function upgradeDir(attemptId: string): string {
  if (!/^[a-z0-9]{1,40}$/.test(attemptId)) throw new AppError("not_found", "upgrade attempt not found");
  return join(resolve(config().GANTRY_DATA_DIR), "upgrades", attemptId);
}

export function upgradeLogFile(attemptId: string): string {
  return join(upgradeDir(attemptId), "upgrade.log");
}

async function branchFor(actor: Actor, projectId: string, branchId: string) {
  const branch = await prisma().branch.findFirst({
    where: { id: branchId, projectId, deletedAt: null },
    select: {
      id: true,
      name: true,
      stage: true,
      odooSeries: true,
      lastSeenSha: true,
      project: { select: { id: true, odooSeries: true } },
    },
  });
  if (!branch) throw new AppError("not_found", "branch not found");
  assertCan(actor, "upgrade", { projectId, stage: branch.stage });
  return { ...branch, series: branch.odooSeries ?? branch.project.odooSeries };
}

/** The branch's series, the targets it may go to, its attempts (newest first) and its test mode. */
export async function upgradeOverview(actor: Actor, projectId: string, branchId: string) {
  const branch = await branchFor(actor, projectId, branchId);
  const attempts = (
    await prisma().upgradeAttempt.findMany({
      where: { branchId },
      orderBy: { createdAt: "desc" },
      take: 50,
      select: attemptFields,
    })
  ).map(typed);
  const now = new Date();
  const testMode = attempts.find(
    (a) => a.kind === "REHEARSAL" && a.status === "SUCCEEDED" && a.testModeUntil && a.testModeUntil > now,
  );
  return {
    branch: { id: branch.id, name: branch.name, stage: branch.stage },
    currentSeries: branch.series,
    targets: await availableTargets(branch.series),
    attempts,
    testMode: testMode
      ? { attemptId: testMode.id, toSeries: testMode.toSeries, until: testMode.testModeUntil! }
      : null,
  };
}

export async function getUpgradeAttempt(actor: Actor, attemptId: string) {
  const attempt = await prisma().upgradeAttempt.findUnique({
    where: { id: attemptId },
    select: { ...attemptFields, branch: { select: { stage: true, name: true } } },
  });
  if (!attempt) throw new AppError("not_found", "upgrade attempt not found");
  assertCan(actor, "upgrade", { projectId: attempt.projectId, stage: attempt.branch.stage });
  return typed(attempt);
}

/** The path of the attempt's upgrade.log, after the access check. */
export async function upgradeLogPath(actor: Actor, attemptId: string): Promise<string> {
  await getUpgradeAttempt(actor, attemptId);
  return upgradeLogFile(attemptId);
}

async function checkTarget(current: string, target: string): Promise<void> {
  const targets = await availableTargets(current);
  if (!targets.includes(target)) {
    throw new AppError(
      "invalid_input",
      targets.length === 0
        ? `no newer series than ${current} has an Odoo image on this server`
        : `${target} is not a target for ${current}: choose one of ${targets.join(", ")}`,
    );
  }
}

/**
 * One active attempt per branch: the row is created inside a serializable transaction that
 * first looks for another, so two requests at once cannot both pass.
 */
async function createAttempt(data: Prisma.UpgradeAttemptUncheckedCreateInput) {
  try {
    return await prisma().$transaction(
      async (tx) => {
        const active = await tx.upgradeAttempt.findFirst({
          where: { branchId: data.branchId, status: { in: [...activeStatuses] } },
          select: { id: true, status: true },
        });
        if (active) {
          throw new AppError(
            "conflict",
            `an upgrade of this branch is already ${active.status.toLowerCase()}`,
            {
              details: { attemptId: active.id },
            },
          );
        }
        return typed(await tx.upgradeAttempt.create({ data, select: attemptFields }));
      },
      { isolationLevel: "Serializable" },
    );
  } catch (error) {
    if (error instanceof AppError) throw error;
    if ((error as { code?: string }).code === "P2034") {
      throw new AppError("conflict", "another upgrade of this branch was asked for at the same moment");
    }
    throw error;
  }
}

/** The latest backup of production that was verified by a restore, and is still stored. */
export async function latestVerifiedProductionBackup(projectId: string) {
  return prisma().backup.findFirst({
    where: {
      projectId,
      branch: { stage: "PRODUCTION" },
      status: "DONE",
      verifyStatus: "VERIFIED",
      deletedAt: null,
    },
    orderBy: { createdAt: "desc" },
    select: { id: true, branchId: true, createdAt: true, odooSeries: true },
  });
}

/** "Test upgrade" on a staging branch: the latest verified production backup, upgraded. */
export async function requestRehearsal(actor: Actor, projectId: string, branchId: string, input: unknown) {
  const body = rehearsalInput.parse(input);
  const branch = await branchFor(actor, projectId, branchId);
  if (branch.stage !== "STAGING") {
    throw new AppError("invalid_input", "an upgrade is rehearsed on a staging branch");
  }
  const backup = await latestVerifiedProductionBackup(projectId);
  if (!backup) {
    throw new AppError(
      "conflict",
      "no verified backup of production yet: take a production backup and let its verification finish",
    );
  }
  const fromSeries = backup.odooSeries?.replace(/\+.*$/, "") || branch.project.odooSeries;
  await checkTarget(fromSeries, body.toSeries);
  const attempt = await createAttempt({
    projectId,
    branchId,
    kind: "REHEARSAL",
    status: "QUEUED",
    engine: body.engine,
    fromSeries,
    toSeries: body.toSeries,
    backupId: backup.id,
    requestedById: actor.userId,
  });
  await enqueue("migrations.run", { attemptId: attempt.id }, { jobId: upgradeJobId(attempt.id) });
  await recordAudit({
    action: "upgrade.requested",
    projectId,
    userId: actor.userId,
    target: branch.name,
    data: { attemptId: attempt.id, kind: "REHEARSAL", toSeries: body.toSeries, engine: body.engine },
  });
  return attempt;
}

/** The production upgrade, at a time or with the next push; it needs a recent successful rehearsal. */
export async function requestProductionUpgrade(
  actor: Actor,
  projectId: string,
  branchId: string,
  input: unknown,
) {
  const body = productionUpgradeInput.parse(input);
  const branch = await branchFor(actor, projectId, branchId);
  if (branch.stage !== "PRODUCTION") {
    throw new AppError("invalid_input", "only the production branch is upgraded this way");
  }
  await checkTarget(branch.series, body.toSeries);
  const since = new Date(Date.now() - upgradeTestDays * 24 * 3600 * 1000);
  const rehearsed = await prisma().upgradeAttempt.findFirst({
    where: {
      projectId,
      kind: "REHEARSAL",
      status: "SUCCEEDED",
      toSeries: body.toSeries,
      finishedAt: { gte: since },
    },
    select: { id: true },
  });
  if (!rehearsed) {
    throw new AppError(
      "conflict",
      `test the upgrade to ${body.toSeries} on a staging branch first (a successful rehearsal of the last ${upgradeTestDays} days)`,
    );
  }
  const at = body.when.mode === "at" ? new Date(body.when.at) : null;
  const attempt = await createAttempt({
    projectId,
    branchId,
    kind: "PRODUCTION",
    status: "SCHEDULED",
    engine: body.engine,
    fromSeries: branch.series,
    toSeries: body.toSeries,
    scheduledFor: at,
    onNextPush: body.when.mode === "next-push",
    pushBaseSha: branch.lastSeenSha,
    requestedById: actor.userId,
  });
  if (at) {
    await enqueue(
      "migrations.run",
      { attemptId: attempt.id },
      { jobId: upgradeJobId(attempt.id), delayMs: Math.max(0, at.getTime() - Date.now()) },
    );
  } else {
    await enqueue(
      "migrations.await-push",
      { attemptId: attempt.id },
      { jobId: awaitPushJobId(attempt.id, 0), delayMs: awaitPushEveryMs },
    );
  }
  await recordAudit({
    action: "upgrade.requested",
    projectId,
    userId: actor.userId,
    target: branch.name,
    data: { attemptId: attempt.id, kind: "PRODUCTION", toSeries: body.toSeries, when: body.when },
  });
  return attempt;
}

/** Cancels a scheduled or queued attempt at once; a running one stops (and reverts) at its next step. */
export async function cancelUpgrade(actor: Actor, attemptId: string) {
  const attempt = await getUpgradeAttempt(actor, attemptId);
  const now = new Date();
  const stopped = await prisma().upgradeAttempt.updateMany({
    where: { id: attemptId, status: { in: ["SCHEDULED", "QUEUED"] } },
    data: { status: "CANCELLED", finishedAt: now },
  });
  let outcome: "cancelled" | "requested";
  if (stopped.count === 1) outcome = "cancelled";
  else {
    const asked = await prisma().upgradeAttempt.updateMany({
      where: { id: attemptId, status: "RUNNING" },
      data: { cancelRequestedAt: now },
    });
    if (asked.count === 0)
      throw new AppError("conflict", `the attempt has already ended (${attempt.status.toLowerCase()})`);
    outcome = "requested";
  }
  await recordAudit({
    action: "upgrade.cancelled",
    projectId: attempt.projectId,
    userId: actor.userId,
    target: attempt.branch.name,
    data: { attemptId, outcome },
  });
  return { outcome };
}

/** An Admin has read the failure: it stops being shown as an alert. */
export async function acknowledgeUpgradeFailure(actor: Actor, attemptId: string) {
  await getUpgradeAttempt(actor, attemptId);
  const done = await prisma().upgradeAttempt.updateMany({
    where: { id: attemptId, status: "FAILED", acknowledgedAt: null },
    data: { acknowledgedAt: new Date() },
  });
  if (done.count === 0)
    throw new AppError("conflict", "only an unacknowledged failed attempt can be acknowledged");
  return { acknowledged: true as const };
}

/** Failed upgrades of the project nobody has acknowledged yet, for the alert on its pages. */
export async function unacknowledgedUpgradeFailures(actor: Actor, projectId: string) {
  const rows = await prisma().upgradeAttempt.findMany({
    where: { projectId, status: "FAILED", acknowledgedAt: null },
    orderBy: { createdAt: "desc" },
    select: {
      id: true,
      branchId: true,
      kind: true,
      toSeries: true,
      error: true,
      reverted: true,
      finishedAt: true,
      branch: { select: { stage: true, name: true } },
    },
  });
  return rows.filter((row) => can(actor, "upgrade", { projectId, stage: row.branch.stage }));
}
