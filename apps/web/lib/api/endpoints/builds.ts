import { buildLogFiles, buildPhases, stages } from "@gantry/core";
import { z } from "zod";
import { defineEndpoint } from "../endpoint";

// Dates travel as ISO strings: handlers pass rows through `toJson`.
const when = z.string().describe("ISO timestamp");
const buildId = z.object({ buildId: z.string().min(1).max(100) });
const logParams = buildId.extend({ file: z.enum(buildLogFiles) });

export const deployGate = z
  .object({
    waitingChecks: z.boolean().describe("Waiting for the commit's checks and statuses (last look)"),
    waitingWindow: z.boolean().describe("Waiting for the deploy window (last look)"),
    checks: z.array(
      z.object({
        name: z.string(),
        kind: z.enum(["check_run", "status"]),
        state: z.enum(["pending", "success", "failure"]),
        detail: z.string(),
      }),
    ),
    checksError: z.string().nullable().describe("Why GitHub's checks could not be read"),
    windowOpensAt: when.nullable().describe("When the deploy window opens next"),
    evaluatedAt: when.nullable(),
    releasedAt: when.nullable(),
    releasedBy: z.string().nullable().describe("The user who deployed now; null: the gates opened"),
    releaseNote: z.string().nullable(),
  })
  .nullable()
  .describe("Deploy gates: what a WAITING build waits for, or what released it; null without gates")
  .meta({ id: "DeployGate" });

export const buildSummary = z
  .object({
    id: z.string(),
    projectId: z.string(),
    branchId: z.string(),
    branch: z.object({ name: z.string() }),
    stage: z.enum(stages),
    commitSha: z.string(),
    commitMessage: z.string(),
    commitAuthor: z.string(),
    status: z.enum(["WAITING", "QUEUED", "RUNNING", "DONE", "CANCELLED"]),
    result: z.enum(["SUCCESS", "WARNING", "FAILED"]).nullable(),
    errorSummary: z.string().nullable(),
    url: z.string().nullable(),
    trigger: z.string(),
    createdAt: when,
    startedAt: when.nullable(),
    finishedAt: when.nullable(),
    servingAt: when.nullable(),
    cleanedAt: when.nullable(),
    sleepingSince: when
      .nullable()
      .describe("Since when the idle build is stopped; its next request starts it again"),
    lastRequestAt: when.nullable().describe("The build's last request through the proxy"),
    servingNode: z
      .string()
      .nullable()
      .describe("The node (hostname) its serving container was last seen running on; null before it served"),
    nodeLostAt: when
      .nullable()
      .describe("Since when its node is down (the cluster lost it) while the build should serve there"),
    gate: deployGate,
  })
  .meta({ id: "Build" });

const phase = z
  .object({
    name: z.string().describe(`One of ${buildPhases.join(", ")}`),
    position: z.number().int(),
    status: z.enum(["PENDING", "RUNNING", "DONE", "FAILED", "SKIPPED"]),
    progress: z.number().int().min(0).max(100),
    message: z.string().nullable(),
    startedAt: when.nullable(),
    finishedAt: when.nullable(),
  })
  .meta({ id: "BuildPhase" });

export const buildDetail = buildSummary
  .extend({
    phases: z.array(phase),
    logs: z
      .array(z.object({ file: z.enum(buildLogFiles), bytes: z.number().int() }))
      .describe("The log files written so far (empty without the logs permission)"),
  })
  .meta({ id: "BuildDetail" });

export const listProjectBuilds = defineEndpoint({
  method: "get",
  path: "/api/v1/projects/{projectId}/builds",
  summary: "The project's builds, newest first, optionally of one branch",
  tags: ["builds"],
  access: "signed-in",
  params: z.object({ projectId: z.string().min(1).max(100) }),
  query: z.object({
    branchId: z.string().min(1).max(100).optional(),
    take: z.coerce.number().int().min(1).max(200).optional(),
  }),
  output: z.object({ builds: z.array(buildSummary) }),
  errors: ["forbidden"],
});

export const getBuildDetail = defineEndpoint({
  method: "get",
  path: "/api/v1/builds/{buildId}",
  summary: "One build with its phases and log files",
  tags: ["builds"],
  access: "signed-in",
  params: buildId,
  output: buildDetail,
  errors: ["forbidden", "not_found"],
});

export const rebuildBuild = defineEndpoint({
  method: "post",
  path: "/api/v1/builds/{buildId}/rebuild",
  summary: "Queue a new build of the same commit (409 while the build is still running)",
  tags: ["builds"],
  access: "signed-in",
  params: buildId,
  output: z.object({
    id: z.string(),
    branchId: z.string(),
    stage: z.enum(stages),
    commitSha: z.string(),
    jobId: z.string(),
  }),
  status: 201,
  errors: ["forbidden", "not_found", "conflict"],
});

export const cancelBuildRequest = defineEndpoint({
  method: "post",
  path: "/api/v1/builds/{buildId}/cancel",
  summary: "Cancel a build: a queued one at once, a running one at its next check (409 once ended)",
  tags: ["builds"],
  access: "signed-in",
  params: buildId,
  output: z.object({ outcome: z.enum(["cancelled", "requested"]) }),
  errors: ["forbidden", "not_found", "conflict"],
});

export const deployNowRequest = defineEndpoint({
  method: "post",
  path: "/api/v1/builds/{buildId}/deploy-now",
  summary:
    "Release a build waiting for its deploy gates at once (deploy right: Admin on production; audited)",
  tags: ["builds"],
  access: "signed-in",
  params: buildId,
  output: z.object({ id: z.string(), status: z.literal("QUEUED") }),
  errors: ["forbidden", "not_found", "conflict"],
});

export const downloadBuildLog = defineEndpoint({
  method: "get",
  path: "/api/v1/builds/{buildId}/logs/{file}",
  summary: "Download one of the build's log files (text/plain)",
  tags: ["builds"],
  access: "signed-in",
  params: logParams,
  output: z.string().describe("The file's content, served as text/plain"),
  errors: ["forbidden", "not_found"],
});

export const streamBuildLog = defineEndpoint({
  method: "get",
  path: "/api/v1/builds/{buildId}/logs/{file}/stream",
  summary:
    "Follow a log file as server-sent events: existing lines, then appended ones; each event's id is " +
    "the byte offset after it (send Last-Event-ID to resume); `event: end` once the log is complete: a " +
    "phase's log when the build has ended, the logs a serving build writes (odoo.log, access.log, " +
    "pg_slow_queries.log, webshell.log) only once it no longer serves (no time limit meanwhile)",
  tags: ["builds"],
  access: "signed-in",
  params: logParams,
  output: z.string().describe("text/event-stream"),
  errors: ["forbidden", "not_found"],
});

export const searchBranchLogsQuery = z.object({
  q: z.string().trim().min(2).max(200).describe("Text to find, case-insensitive"),
  file: z.enum(buildLogFiles).optional().describe("Only this log file of each build"),
  builds: z.coerce.number().int().min(1).max(100).default(20).describe("How many of the newest builds"),
});

export const searchBranchLogs = defineEndpoint({
  method: "get",
  path: "/api/v1/projects/{projectId}/branches/{branchId}/logs/search",
  summary:
    "Search the logs of a branch's builds, newest build first, including cleaned ones: NDJSON, " +
    '`{"build","commit","file","line","text"}` per matching line as it is found (at most 500, each ' +
    'cut at 500 characters), then `{"done":true,"matches":N,"truncated":bool}`',
  tags: ["builds"],
  access: "signed-in",
  params: z.object({ projectId: z.string().min(1).max(100), branchId: z.string().min(1).max(100) }),
  query: searchBranchLogsQuery,
  output: z.string().describe("application/x-ndjson"),
  errors: ["forbidden", "not_found", "invalid_input"],
});

export const buildEndpoints = [
  listProjectBuilds,
  getBuildDetail,
  rebuildBuild,
  cancelBuildRequest,
  deployNowRequest,
  downloadBuildLog,
  streamBuildLog,
  searchBranchLogs,
] as const;
