// The nodes of the container runtime, answered by a worker (the web app has no Docker access):
// the listing for the Nodes page, and drain/activate.
import { z } from "zod";
import { defineJob } from "./define";

const nodeWork = z.object({
  name: z.string(),
  project: z.string().nullable(),
  branch: z.string().nullable(),
  build: z.string().nullable(),
  role: z.string().nullable().describe("serve for a serving build; null for one-shot work"),
  cpuPercent: z.number().nullable().describe("CPU use over a short sample, 100 = one CPU"),
  memoryBytes: z.number().nullable(),
});

export const runtimeNode = z.object({
  id: z.string(),
  hostname: z.string(),
  pool: z.string().nullable().describe("The node's pool; `all` on one host, null when unlabelled"),
  role: z.enum(["manager", "worker"]),
  state: z.enum(["ready", "down", "disconnected", "unknown"]),
  availability: z.enum(["active", "pause", "drain"]),
  address: z.string().nullable(),
  cpus: z.number(),
  memoryBytes: z.number(),
  work: z.array(nodeWork),
});
export type RuntimeNodeView = z.infer<typeof runtimeNode>;

export const nodesResult = z.object({
  workerId: z.string(),
  measuredAt: z.iso.datetime(),
  nodes: z.array(runtimeNode),
});
export type NodesResult = z.infer<typeof nodesResult>;

/** A refusal (one host cannot be drained, no such node) is an answer, not a failed job. */
export const nodeAvailabilityResult = z.discriminatedUnion("ok", [
  z.object({ ok: z.literal(true), node: runtimeNode }),
  z.object({ ok: z.literal(false), status: z.enum(["conflict", "not_found"]), error: z.string() }),
]);
export type NodeAvailabilityResult = z.infer<typeof nodeAvailabilityResult>;

export const nodeJobs = {
  "maintenance.nodes": defineJob({
    queue: "maintenance",
    description:
      "Lists the runtime's nodes (pool, role, state, availability, CPUs, memory) with Gantry's " +
      "running work on each and its use; one host is one node.",
    payload: z.object({ requestedBy: z.string().max(200).optional() }).strict(),
    result: nodesResult,
    // Asked while someone waits on the page: one attempt, its failure is the answer.
    attempts: 1,
    timeoutMs: 30_000,
  }),
  "maintenance.node-availability": defineJob({
    queue: "maintenance",
    description:
      "Drains a node (its work moves to the other nodes of its pool) or activates it again; " +
      "refused on one host, which has nowhere to move its builds.",
    payload: z
      .object({
        nodeId: z.string().min(1).max(200),
        availability: z.enum(["active", "drain"]),
        requestedBy: z.string().max(200).optional(),
      })
      .strict(),
    result: nodeAvailabilityResult,
    // Never repeated behind the back of the person who asked.
    attempts: 1,
    timeoutMs: 30_000,
  }),
} as const;
