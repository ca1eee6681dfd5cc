import { stages } from "@gantry/core";
import { z } from "zod";
import { defineEndpoint } from "../endpoint";

const when = z.string().describe("ISO timestamp");
const projectParams = z.object({ projectId: z.string().min(1).max(100) });

const figures = {
  count: z.number().int().describe("Occurrences on the builds whose logs the caller reads"),
  firstSeenAt: when,
  lastSeenAt: when,
  stages: z.array(z.enum(stages)),
  branches: z.array(z.object({ id: z.string(), name: z.string() })),
};

const groupFields = {
  id: z.string(),
  title: z
    .string()
    .describe("The first occurrence's record (logger: message); the tenant's text, never markup"),
  exception: z.string().nullable().describe("The exception its traceback ends with"),
  logger: z.string().nullable(),
  flaky: z.boolean().describe("Seen on some but not all runs of one commit on one branch"),
  flakyCommit: z.string().nullable().describe("The commit whose runs disagreed"),
};

export const errorGroupSummary = z.object({ ...groupFields, ...figures }).meta({ id: "ErrorGroup" });

export const errorOccurrence = z
  .object({
    id: z.string(),
    buildId: z.string(),
    branchId: z.string(),
    branchName: z.string(),
    commitSha: z.string(),
    stage: z.enum(stages),
    file: z.string().describe("The log file"),
    line: z.number().int().describe("1-based line of the record in the log file"),
    at: when,
    level: z.string().nullable(),
    logger: z.string().nullable(),
    message: z.string(),
    text: z.string().describe("The record with its traceback, capped"),
    viewUrl: z.string().describe("The dashboard's log viewer at the record's line"),
    logUrl: z.string().describe("The whole log file"),
  })
  .meta({ id: "ErrorOccurrence" });

export const listErrorGroups = defineEndpoint({
  method: "get",
  path: "/api/v1/projects/{projectId}/errors",
  summary:
    "The project's errors grouped across builds (ERROR, CRITICAL and tracebacks of the build logs, " +
    "fingerprinted), last seen first; only what the caller may read in the logs of each stage",
  tags: ["errors"],
  access: "signed-in",
  params: projectParams,
  query: z.object({
    stage: z.enum(stages).optional(),
    branch: z.string().min(1).max(100).optional().describe("A branch id"),
    flaky: z
      .enum(["true", "false"])
      .optional()
      .transform((v) => (v === undefined ? undefined : v === "true")),
    search: z.string().max(200).optional().describe("Words of the title"),
    page: z.coerce.number().int().min(1).max(10_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(200).default(50),
  }),
  output: z.object({
    groups: z.array(errorGroupSummary),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
  }),
  errors: ["forbidden", "not_found"],
});

export const getErrorGroup = defineEndpoint({
  method: "get",
  path: "/api/v1/projects/{projectId}/errors/{groupId}",
  summary: "One error group with its occurrences (newest first), each linked to its log line",
  tags: ["errors"],
  access: "signed-in",
  params: projectParams.extend({ groupId: z.string().min(1).max(100) }),
  output: z
    .object({
      ...groupFields,
      count: figures.count,
      firstSeenAt: when.nullable(),
      lastSeenAt: when.nullable(),
      stages: figures.stages,
      branches: figures.branches,
      occurrences: z.array(errorOccurrence),
    })
    .meta({ id: "ErrorGroupDetail" }),
  errors: ["forbidden", "not_found"],
});

export const errorGroupEndpoints = [listErrorGroups, getErrorGroup] as const;
