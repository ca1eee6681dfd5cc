// What an upgrade attempt reports: how long each step took, which modules moved from which
// version to which, what the Odoo log rules found, and the row counts of the main tables
// before and after. Written by the worker as JSON on the attempt, read back by the API and
// the Upgrade tab through this one schema.
import { z } from "zod";

export const upgradeStepNames = [
  "backup",
  "restore",
  "stop",
  "copy",
  "pre",
  "update",
  "post",
  "modules",
  "verify",
  "swap",
  "start",
  "revert",
] as const;
export type UpgradeStepName = (typeof upgradeStepNames)[number];

export const upgradeStepSchema = z.object({
  name: z.enum(upgradeStepNames),
  status: z.enum(["running", "done", "failed", "skipped"]),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  message: z.string().nullable(),
});
export type UpgradeStep = z.infer<typeof upgradeStepSchema>;

export const moduleChangeSchema = z.object({
  name: z.string(),
  before: z.string().nullable(),
  after: z.string().nullable(),
  state: z.string().nullable(),
});
export type ModuleChange = z.infer<typeof moduleChangeSchema>;

export const rowCountSchema = z.object({
  table: z.string(),
  before: z.number().int().nullable(),
  after: z.number().int().nullable(),
});
export type RowCount = z.infer<typeof rowCountSchema>;

export const logFindingSchema = z.object({
  level: z.string(),
  logger: z.string().nullable(),
  message: z.string(),
  text: z.string(),
});
export type LogFinding = z.infer<typeof logFindingSchema>;

export const upgradeReportSchema = z.object({
  engine: z.string(),
  fromSeries: z.string(),
  toSeries: z.string(),
  durationMs: z.number().int().nonnegative(),
  /** success, warning or failed: the Odoo log rules over every run of the attempt. */
  logStatus: z.enum(["success", "warning", "failed"]),
  reasons: z.array(z.string()),
  errors: z.array(logFindingSchema),
  warnings: z.array(logFindingSchema),
  modules: z.array(moduleChangeSchema),
  rows: z.array(rowCountSchema),
});
export type UpgradeReport = z.infer<typeof upgradeReportSchema>;
