import {
  productionUpgradeInput,
  rehearsalInput,
  stages,
  upgradeEngines,
  upgradeReportSchema,
  upgradeStepSchema,
} from "@gantry/core";
import { z } from "zod";
import { defineEndpoint } from "../endpoint";

// Dates travel as ISO strings: handlers pass rows through `toJson`.
const when = z.string().describe("ISO timestamp");
const branchParams = z.object({
  projectId: z.string().min(1).max(100),
  branchId: z.string().min(1).max(100),
});
const attemptParams = z.object({ attemptId: z.string().min(1).max(100) });

export const upgradeAttempt = z
  .object({
    id: z.string(),
    projectId: z.string(),
    branchId: z.string(),
    kind: z.enum(["REHEARSAL", "PRODUCTION"]),
    status: z.enum(["SCHEDULED", "QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED"]),
    engine: z.string().describe(`One of ${upgradeEngines.join(", ")}`),
    fromSeries: z.string(),
    toSeries: z.string(),
    scheduledFor: when.nullable(),
    onNextPush: z.boolean(),
    backupId: z.string().nullable(),
    steps: z.array(upgradeStepSchema),
    report: upgradeReportSchema.nullable(),
    error: z.string().nullable(),
    failedStep: z.string().nullable(),
    reverted: z.boolean(),
    acknowledgedAt: when.nullable(),
    testModeUntil: when.nullable(),
    createdAt: when,
    startedAt: when.nullable(),
    finishedAt: when.nullable(),
  })
  .meta({ id: "UpgradeAttempt" });

export const upgradeOverviewSchema = z
  .object({
    branch: z.object({ id: z.string(), name: z.string(), stage: z.enum(stages) }),
    currentSeries: z.string(),
    targets: z.array(z.string()).describe("Newer series whose Odoo image exists on this server"),
    attempts: z.array(upgradeAttempt),
    testMode: z.object({ attemptId: z.string(), toSeries: z.string(), until: when }).nullable(),
  })
  .meta({ id: "UpgradeOverview" });

export const getUpgradeOverview = defineEndpoint({
  method: "get",
  path: "/api/v1/projects/{projectId}/branches/{branchId}/upgrade",
  summary: "The branch's Odoo series, the series it may be upgraded to, and its upgrade attempts (Admin)",
  tags: ["upgrades"],
  access: "signed-in",
  params: branchParams,
  output: upgradeOverviewSchema,
  errors: ["forbidden", "not_found"],
});

export const startRehearsal = defineEndpoint({
  method: "post",
  path: "/api/v1/projects/{projectId}/branches/{branchId}/upgrade/rehearsals",
  summary:
    "Test an upgrade on a staging branch: the latest verified production backup, upgraded to the target series (Admin)",
  tags: ["upgrades"],
  access: "signed-in",
  params: branchParams,
  body: rehearsalInput,
  output: upgradeAttempt,
  status: 201,
  errors: ["forbidden", "not_found", "conflict"],
});

export const scheduleProductionUpgrade = defineEndpoint({
  method: "post",
  path: "/api/v1/projects/{projectId}/branches/{branchId}/upgrade/production",
  summary:
    "Upgrade production at a given time or with its next push (needs a successful rehearsal of the same series in the last 30 days; Admin)",
  tags: ["upgrades"],
  access: "signed-in",
  params: branchParams,
  body: productionUpgradeInput,
  output: upgradeAttempt,
  status: 201,
  errors: ["forbidden", "not_found", "conflict"],
});

export const getUpgrade = defineEndpoint({
  method: "get",
  path: "/api/v1/upgrades/{attemptId}",
  summary: "One upgrade attempt with its steps and report",
  tags: ["upgrades"],
  access: "signed-in",
  params: attemptParams,
  output: upgradeAttempt.extend({ logBytes: z.number().int().nullable() }),
  errors: ["forbidden", "not_found"],
});

export const cancelUpgradeRequest = defineEndpoint({
  method: "post",
  path: "/api/v1/upgrades/{attemptId}/cancel",
  summary: "Cancel an attempt: a scheduled or queued one at once, a running one at its next step (reverted)",
  tags: ["upgrades"],
  access: "signed-in",
  params: attemptParams,
  output: z.object({ outcome: z.enum(["cancelled", "requested"]) }),
  errors: ["forbidden", "not_found", "conflict"],
});

export const acknowledgeUpgrade = defineEndpoint({
  method: "post",
  path: "/api/v1/upgrades/{attemptId}/acknowledge",
  summary: "Dismiss the alert of a failed attempt",
  tags: ["upgrades"],
  access: "signed-in",
  params: attemptParams,
  output: z.object({ acknowledged: z.literal(true) }),
  errors: ["forbidden", "not_found", "conflict"],
});

export const downloadUpgradeLog = defineEndpoint({
  method: "get",
  path: "/api/v1/upgrades/{attemptId}/log",
  summary: "Download the attempt's upgrade.log (text/plain)",
  tags: ["upgrades"],
  access: "signed-in",
  params: attemptParams,
  output: z.string().describe("The file's content, served as text/plain"),
  errors: ["forbidden", "not_found"],
});

export const streamUpgradeLog = defineEndpoint({
  method: "get",
  path: "/api/v1/upgrades/{attemptId}/log/stream",
  summary:
    "Follow upgrade.log as server-sent events (ids are byte offsets, send Last-Event-ID to resume); `event: end` once the attempt has ended",
  tags: ["upgrades"],
  access: "signed-in",
  params: attemptParams,
  output: z.string().describe("text/event-stream"),
  errors: ["forbidden", "not_found"],
});

export const listUpgradeFailures = defineEndpoint({
  method: "get",
  path: "/api/v1/projects/{projectId}/upgrade-failures",
  summary: "Failed upgrade attempts of the project no Admin has acknowledged yet",
  tags: ["upgrades"],
  access: "signed-in",
  params: z.object({ projectId: z.string().min(1).max(100) }),
  output: z.object({
    failures: z.array(
      z.object({
        id: z.string(),
        branchId: z.string(),
        kind: z.enum(["REHEARSAL", "PRODUCTION"]),
        toSeries: z.string(),
        error: z.string().nullable(),
        reverted: z.boolean(),
        finishedAt: when.nullable(),
        branch: z.object({ name: z.string(), stage: z.enum(stages) }),
      }),
    ),
  }),
  errors: ["forbidden"],
});

export const upgradeEndpoints = [
  getUpgradeOverview,
  startRehearsal,
  scheduleProductionUpgrade,
  getUpgrade,
  cancelUpgradeRequest,
  acknowledgeUpgrade,
  downloadUpgradeLog,
  streamUpgradeLog,
  listUpgradeFailures,
] as const;
