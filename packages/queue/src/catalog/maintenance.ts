import { z } from "zod";
import { defineJob } from "./define";

const failure = z.object({ ok: z.literal(false), error: z.string() });

/** What a worker measured about itself and the services it depends on. */
export const diagnosticsResult = z.object({
  workerId: z.string(),
  hostname: z.string(),
  pid: z.number().int(),
  nodeVersion: z.string(),
  measuredAt: z.iso.datetime(),
  docker: z.discriminatedUnion("ok", [
    z.object({ ok: z.literal(true), version: z.string(), apiVersion: z.string(), pingMs: z.number() }),
    failure,
  ]),
  postgres: z.discriminatedUnion("ok", [
    z.object({ ok: z.literal(true), serverVersion: z.string(), queryMs: z.number() }),
    failure,
  ]),
  redis: z.discriminatedUnion("ok", [z.object({ ok: z.literal(true), pingMs: z.number() }), failure]),
});
export type DiagnosticsResult = z.infer<typeof diagnosticsResult>;

/** The longest wait `maintenance.probe-delay` accepts. */
export const maxProbeDelayMs = 60_000;

/** The catalog of the `maintenance` queue. */
export const maintenanceJobs = {
  "maintenance.diagnostics": defineJob({
    queue: "maintenance",
    description:
      "Measures the worker's view of Docker, PostgreSQL and Redis (versions, latencies) and returns it.",
    payload: z.object({ requestedBy: z.string().max(200).optional() }).strict(),
    result: diagnosticsResult,
    // A diagnosis is wanted now: one attempt, its failure is the answer.
    attempts: 1,
    timeoutMs: 30_000,
  }),
  "maintenance.probe-delay": defineJob({
    queue: "maintenance",
    description:
      "Diagnostic tool: holds a worker slot for `ms` milliseconds (at most 60 s) and returns. " +
      "Used to check queue throughput and graceful shutdown with a job in flight.",
    payload: z.object({ ms: z.number().int().min(0).max(maxProbeDelayMs) }).strict(),
    result: z.object({ sleptMs: z.number() }),
    attempts: 1,
    timeoutMs: maxProbeDelayMs + 10_000,
  }),
  "maintenance.sleep-idle-builds": defineJob({
    queue: "maintenance",
    description:
      "Run by the scheduler: records each build's last request from the proxy's access log, then " +
      "stops the serving containers of staging and development builds idle for BUILD_IDLE_MINUTES " +
      "(databases and files stay) and routes their hosts to the wake page. Never production.",
    payload: z.object({}).strict(),
    result: z.object({ slept: z.array(z.string()), recorded: z.number().int() }),
    // The next run comes a minute later anyway.
    attempts: 1,
    timeoutMs: 10 * 60 * 1000,
  }),
  "maintenance.collect-metrics": defineJob({
    queue: "maintenance",
    description:
      "Run by the scheduler every METRICS_INTERVAL_SECONDS: one sample per serving, awake build (CPU " +
      "and memory of its container, its database's size, connections and longest running query, its " +
      "filestore's size) for the Monitor tab.",
    payload: z.object({}).strict(),
    result: z.object({
      builds: z.number().int(),
      recorded: z.number().int(),
      cpuMs: z.number().describe("CPU time of the worker process spent on the cycle"),
    }),
    // The next cycle comes in seconds: a failed one is not retried.
    attempts: 1,
    timeoutMs: 60_000,
  }),
  "maintenance.metrics-rollup": defineJob({
    queue: "maintenance",
    description:
      "Run by the scheduler every minute: rolls the Monitor's raw samples up into minutes and hours, " +
      "then deletes raw samples after a day, minutes after a week and hours after three months.",
    payload: z.object({}).strict(),
    result: z.object({
      minutes: z.number().int(),
      hours: z.number().int(),
      pruned: z.object({ raw: z.number().int(), minute: z.number().int(), hour: z.number().int() }),
    }),
    attempts: 1,
    timeoutMs: 5 * 60 * 1000,
  }),
  "maintenance.scan-error-logs": defineJob({
    queue: "maintenance",
    description:
      "Run by the scheduler every minute: reads on in the server log (odoo.log) of every serving " +
      "build from where the last scan stopped and records its errors into the project's error groups.",
    payload: z.object({}).strict(),
    result: z.object({ builds: z.number().int(), lines: z.number().int(), occurrences: z.number().int() }),
    // The next run comes a minute later and reads on from the same place.
    attempts: 1,
    timeoutMs: 5 * 60 * 1000,
  }),
  "maintenance.probe-production": defineJob({
    queue: "maintenance",
    description:
      "Run by the scheduler every minute: requests /web/health of every production branch's serving " +
      "build, records up, down (with its cause) or maintenance, opens and closes incidents, and " +
      "prunes old probes.",
    payload: z.object({}).strict(),
    result: z.object({
      probed: z.number().int(),
      down: z.number().int(),
      maintenance: z.number().int(),
      opened: z.number().int(),
      closed: z.number().int(),
    }),
    // The next round comes a minute later: a failed one is not retried.
    attempts: 1,
    timeoutMs: 60_000,
  }),
  "maintenance.gantry-backup": defineJob({
    queue: "maintenance",
    description:
      "Run by the scheduler daily at BACKUP_DAILY_HOUR: Gantry's own database (pg_dump -Fc) and the " +
      "state of its data directory that matters (secrets, SSH keys, Caddy's configuration) into a " +
      "dated archive under <backups>/gantry, verified by a restore into a scratch database; older " +
      "archives go by the daily backups' retention. scripts/restore-gantry puts one back.",
    payload: z.object({}).strict(),
    result: z.object({
      archive: z.string(),
      bytes: z.number().int(),
      migrations: z.number().int(),
      deleted: z.array(z.string()),
    }),
    // A failed night is tried again once; the next one comes a day later.
    attempts: 2,
    timeoutMs: 2 * 60 * 60 * 1000,
  }),
  "maintenance.deploy-gates": defineJob({
    queue: "maintenance",
    description:
      "Looks again at builds held by a deploy gate (one, or every waiting build when run by the " +
      "scheduler every minute): reads the commit's checks and statuses on GitHub and the deploy " +
      "window; queues the build when both allow, fails it when a required check failed.",
    payload: z.object({ buildId: z.string().min(1).max(100).optional() }).strict(),
    result: z.object({
      looked: z.number().int(),
      released: z.array(z.string()),
      failed: z.array(z.string()),
    }),
    // Events and the next minute's look come anyway: a failed look is not retried.
    attempts: 1,
    timeoutMs: 5 * 60 * 1000,
  }),
  "maintenance.recheck-domains": defineJob({
    queue: "maintenance",
    description:
      "Run by the scheduler every DOMAIN_RECHECK_MINUTES: looks every custom domain's DNS up again " +
      "and reads the certificate Caddy serves for it (issuer, expiry, last error); tells the " +
      "project's Admins once of a domain whose DNS moved away or whose renewal keeps failing.",
    payload: z.object({}).strict(),
    result: z.object({
      checked: z.number().int(),
      problems: z.array(z.object({ name: z.string(), problem: z.string(), notified: z.boolean() })),
      dashboard: z.string().nullable().describe("What is wrong with the dashboard's own certificate"),
    }),
    // The next look comes anyway.
    attempts: 1,
    timeoutMs: 10 * 60 * 1000,
  }),
  "maintenance.wake-build": defineJob({
    queue: "maintenance",
    description:
      "Starts a sleeping build's container again, waits for /web/health, and gives its host its " +
      "direct route back.",
    payload: z.object({ buildId: z.string().min(1).max(100) }).strict(),
    result: z.object({ status: z.string() }),
    attempts: 2,
    backoff: { type: "fixed", delayMs: 3_000 },
    timeoutMs: 5 * 60 * 1000,
  }),
  "maintenance.update-module": defineJob({
    queue: "maintenance",
    description:
      "The editor's \"update module\": one Odoo run with -u of the module in the build's serving " +
      "container (its database, its checkout as edited), appended to update.log, then the " +
      "container restarted so the new Python code serves, and /web/health awaited.",
    payload: z
      .object({
        buildId: z.string().min(1).max(100),
        module: z.string().regex(/^[A-Za-z0-9_]{1,100}$/),
        requestedBy: z.string().max(200),
      })
      .strict(),
    result: z.object({
      status: z.enum(["updated", "failed"]),
      exitCode: z.number().int(),
      output: z.string().describe("The end of the run's output"),
    }),
    // Someone waits for it in the editor: its failure is their answer, not a retry.
    attempts: 1,
    timeoutMs: 30 * 60 * 1000,
  }),
  "maintenance.odoo-versions": defineJob({
    queue: "maintenance",
    description:
      "Run by the scheduler: records new revisions of the Odoo images (each tagged to be kept), " +
      'rebuilds development and staging branches on "latest" with a new revision and schedules ' +
      "production's update at ODOO_UPDATE_HOUR; mails Admins two weeks before a pinned revision " +
      "lapses, then moves the branch to " +
      "latest; drops upgrade-test copies past their days.",
    payload: z.object({}).strict(),
    result: z.object({
      revisions: z.array(
        z.object({ series: z.string(), revision: z.string(), previous: z.string().nullable() }),
      ),
      rebuilt: z.array(z.string()),
      productionScheduled: z.array(z.string()),
      pinsWarned: z.array(z.string()),
      pinsExpired: z.array(z.string()),
      copiesDropped: z.array(z.string()),
    }),
    attempts: 1,
    timeoutMs: 10 * 60 * 1000,
  }),
  "maintenance.production-revision": defineJob({
    queue: "maintenance",
    description:
      "At the update window: queues the production build that moves a production branch on " +
      '"latest" to the series\' new image revision (an "update" backup, then -u all, rolled ' +
      "back on failure), unless the branch already runs it or is pinned meanwhile.",
    payload: z
      .object({ branchId: z.string().min(1).max(100), revision: z.string().regex(/^[0-9a-f]{12}$/) })
      .strict(),
    result: z.object({ status: z.string(), buildId: z.string().optional() }),
    attempts: 3,
    backoff: { type: "fixed", delayMs: 60_000 },
    timeoutMs: 60_000,
  }),
} as const;

/** One production update per branch and revision, however often the revision is looked at. */
export function productionRevisionJobId(branchId: string, revision: string): string {
  return `production-revision-${branchId}-${revision}`;
}

/** One wake per sleep: requests while the build starts add nothing; the next sleep gets a new job. */
export function wakeBuildJobId(buildId: string, sleepingSince: Date): string {
  return `wake-${buildId}-${sleepingSince.getTime()}`;
}
