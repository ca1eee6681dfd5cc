import { z } from "zod";
import { defineEndpoint } from "../endpoint";

const bar = z.object({
  from: z.string().describe("ISO start of the bar"),
  up: z.number().int(),
  down: z.number().int(),
  maintenance: z.number().int().describe("Probes taken during a deploy, update, upgrade or restore"),
  percent: z.number().nullable().describe("Uptime of the bar; null when nothing was probed"),
});

export const projectStatusOutput = z
  .object({
    projectId: z.string(),
    checkedAt: z.string(),
    downAlertMinutes: z.number().int().describe("An incident this old is announced as production down"),
    branches: z.array(
      z.object({
        branchId: z.string(),
        name: z.string(),
        state: z.enum(["up", "down", "maintenance", "unknown"]),
        lastProbe: z
          .object({
            at: z.string(),
            outcome: z.string(),
            latencyMs: z.number().nullable(),
            httpStatus: z.number().nullable(),
          })
          .nullable(),
        uptime: z
          .object({ day: z.number().nullable(), week: z.number().nullable(), month: z.number().nullable() })
          .describe("Percent over 24 h, 7 d and 30 d; maintenance probes not counted; null: none"),
        hours: z.array(bar).describe("The last 24 hours, oldest first"),
        days: z.array(bar).describe("The last 90 days (UTC), oldest first"),
        incidents: z.array(
          z.object({
            id: z.string(),
            buildId: z.string().nullable(),
            startedAt: z.string(),
            endedAt: z.string().nullable().describe("null while it lasts"),
            durationMs: z.number(),
            cause: z
              .string()
              .describe(
                "container_exited, oom_killed, container_missing, http_5xx, http_error, timeout, unreachable",
              ),
            detail: z.string().nullable(),
          }),
        ),
      }),
    ),
  })
  .meta({ id: "ProjectStatus" });

export const getProjectStatus = defineEndpoint({
  method: "get",
  path: "/api/v1/projects/{projectId}/status",
  summary:
    "Uptime of each production branch (24 h, 7 d, 30 d, hourly and daily bars), its current state " +
    "and its incidents, from Gantry's probe of /web/health every minute",
  tags: ["status"],
  access: "signed-in",
  params: z.object({ projectId: z.string().min(1).max(100) }),
  output: projectStatusOutput,
  errors: ["forbidden", "not_found"],
});

export const setDownAlert = defineEndpoint({
  method: "put",
  path: "/api/v1/projects/{projectId}/status",
  summary: "How many minutes a production incident lasts before it is announced as production down (Admin)",
  tags: ["status"],
  access: "signed-in",
  params: z.object({ projectId: z.string().min(1).max(100) }),
  body: z.object({ downAlertMinutes: z.number().int().min(1).max(1440) }),
  output: z.object({ downAlertMinutes: z.number().int() }),
  errors: ["forbidden", "not_found"],
});

export const statusEndpoints = [getProjectStatus, setDownAlert] as const;
