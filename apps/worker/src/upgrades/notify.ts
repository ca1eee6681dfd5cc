// The mail that tells a project's Admins how an upgrade attempt ended: what happened, where
// production stands, the error and the end of upgrade.log, and the link to the Upgrade tab.
import { readFile } from "node:fs/promises";
import { ifExists } from "@gantry/config";
import { type Logger, type Notice, publicUrl, upgradeLogFile } from "@gantry/core";
import type { PrismaClient } from "@gantry/db";
import type { QueueContext } from "@gantry/queue";
import { tell } from "../notifications/tell";

const LOG_LINES = 40;

interface Ended {
  id: string;
  projectId: string;
  branchId: string;
  kind: "REHEARSAL" | "PRODUCTION";
  status: string;
  fromSeries: string;
  toSeries: string;
  error: string | null;
  failedStep: string | null;
  reverted: boolean;
  project: { name: string };
  branch: { name: string };
}

export function upgradeNotice(attempt: Ended, logTail: string): Notice {
  const what = attempt.kind === "PRODUCTION" ? "Production upgrade" : "Test upgrade";
  const where = `${attempt.project.name} / ${attempt.branch.name}`;
  const ok = attempt.status === "SUCCEEDED";
  const state = ok
    ? attempt.kind === "PRODUCTION"
      ? `Production serves on Odoo ${attempt.toSeries}.`
      : `The upgraded copy is kept: the branch's pushes build from it on ${attempt.toSeries}.`
    : attempt.kind === "PRODUCTION"
      ? attempt.reverted
        ? `Production was put back and serves on Odoo ${attempt.fromSeries} as before.`
        : "PUTTING PRODUCTION BACK FAILED: it needs a person now (see the log below)."
      : "Nothing of the branch was changed.";
  const url = publicUrl(`/projects/${attempt.projectId}/branches/${attempt.branchId}/upgrade`);
  const lines = [
    `${what} of ${where} from Odoo ${attempt.fromSeries} to ${attempt.toSeries}: ${ok ? "succeeded" : "failed"}.`,
    state,
    ...(ok ? [] : [`Step: ${attempt.failedStep ?? "-"}`, `Error: ${attempt.error ?? "-"}`]),
    "",
    `Steps, report and the whole log: ${url}`,
    "",
    `The end of upgrade.log:`,
    logTail,
  ];
  const subject = `[Gantry] ${where}: ${what.toLowerCase()} to ${attempt.toSeries} ${ok ? "succeeded" : "failed"}`;
  return { subject, text: lines.join("\n") };
}

/**
 * Tells the outcome of an ended attempt (not of a cancelled one: someone chose that) through
 * the project's channels: mail carries the whole notice above, the others its first line.
 */
export async function notifyUpgradeEnded(
  context: { services: { db: () => PrismaClient; queue: QueueContext }; logger: Logger },
  attemptId: string,
): Promise<void> {
  const attempt = await context.services.db().upgradeAttempt.findUnique({
    where: { id: attemptId },
    include: { project: { select: { name: true } }, branch: { select: { name: true } } },
  });
  if (!attempt || !["SUCCEEDED", "FAILED"].includes(attempt.status)) return;
  // An attempt that failed before its first step wrote no log.
  const log = (await ifExists(readFile(upgradeLogFile(attemptId), "utf8"))) ?? "";
  const tail = log
    .split("\n")
    .slice(-LOG_LINES - 1)
    .join("\n");
  const notice = upgradeNotice(attempt, tail);
  await tell(context, attempt.projectId, {
    type: "upgrade.ended",
    attemptId,
    ok: attempt.status === "SUCCEEDED",
    summary: notice.subject.replace(/^\[Gantry\] /, "").slice(0, 500),
    details: notice.text.slice(-20_000),
  });
}
