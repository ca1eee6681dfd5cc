import type { z } from "zod";
import type { upgradeAttempt, upgradeOverviewSchema } from "@/lib/api/endpoints/upgrades";

export type UpgradeAttemptView = z.output<typeof upgradeAttempt>;
export type UpgradeOverviewView = z.output<typeof upgradeOverviewSchema>;

export const activeStatuses = ["SCHEDULED", "QUEUED", "RUNNING"];

export function isActive(status: string): boolean {
  return activeStatuses.includes(status);
}

/** Badge colours: Odoo.sh's green and red, blue while it runs. */
export const statusTone: Record<string, string> = {
  SCHEDULED: "bg-violet-100 text-violet-800",
  QUEUED: "bg-slate-100 text-slate-700",
  RUNNING: "bg-sky-100 text-sky-800",
  SUCCEEDED: "bg-green-100 text-green-800",
  FAILED: "bg-red-100 text-red-800",
  CANCELLED: "bg-slate-100 text-slate-500",
};

export const stepLabels: Record<string, string> = {
  backup: "Backup",
  restore: "Restore",
  stop: "Stop",
  copy: "Copy",
  pre: "Pre-migration",
  update: "-u all",
  post: "Post-migration",
  modules: "Branch modules",
  verify: "Verify",
  swap: "Swap",
  start: "Start",
  revert: "Revert",
};
