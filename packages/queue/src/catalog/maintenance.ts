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
} as const;
