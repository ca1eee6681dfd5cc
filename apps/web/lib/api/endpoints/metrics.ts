import { z } from "zod";
import { defineEndpoint } from "../endpoint";

const column = z.array(z.number().nullable());

export const buildMetricsOutput = z
  .object({
    range: z.enum(["hour", "day", "week", "month"]),
    stepSeconds: z.number().describe("Seconds between points: raw samples, minutes, ten minutes or hours"),
    from: z.string().describe("ISO timestamp"),
    to: z.string().describe("ISO timestamp"),
    state: z.enum(["serving", "asleep", "stopped"]).describe("Whether the build is sampled now"),
    series: z
      .object({
        at: z.array(z.number()).describe("Unix milliseconds of each point"),
        cpuPercent: column.describe("Percent of one CPU"),
        memoryBytes: column.describe("Memory in use, page cache excluded"),
        memoryLimitBytes: column,
        dbSizeBytes: column,
        dbConnections: column,
        longestQuerySeconds: column.describe("The oldest statement still running"),
        filestoreBytes: column,
        httpRequests: column.describe("Requests through the proxy in the point's interval"),
        http4xx: column.describe("Of those, answered 4xx"),
        http5xx: column.describe("Of those, answered 5xx"),
        httpP50Ms: column.describe("Median response time, ms"),
        httpP95Ms: column.describe("95th percentile response time, ms (the highest of the interval)"),
        httpConcurrentMax: column.describe("The most requests in flight at once"),
        odooWorkerRecycles: column.describe("Odoo workers replaced for a limit (memory, requests, time)"),
        odooCronTimeouts: column.describe("Odoo cron workers killed for their time"),
      })
      .describe("Columns aligned with `at`; null where nothing was measured"),
    annotations: z.array(
      z.object({
        at: z.string(),
        kind: z.enum(["deploy", "restore", "import", "upgrade", "sleep", "wake"]),
        label: z.string(),
      }),
    ),
  })
  .meta({ id: "BuildMetrics" });

export const getBuildMetrics = defineEndpoint({
  method: "get",
  path: "/api/v1/builds/{buildId}/metrics",
  summary:
    "A build's figures over the last hour, day, week or month (CPU, memory and its limit, database " +
    "size, connections, longest running query, filestore, HTTP requests, errors, response times and " +
    "concurrency, Odoo's worker recycling and cron timeouts) with the branch's deploys, restores, " +
    "imports, upgrades and the build's sleeps as annotations",
  tags: ["monitor"],
  access: "signed-in",
  params: z.object({ buildId: z.string().min(1).max(100) }),
  query: z.object({ range: z.enum(["hour", "day", "week", "month"]).default("hour") }),
  output: buildMetricsOutput,
  errors: ["forbidden", "not_found"],
});

export const metricEndpoints = [getBuildMetrics] as const;
