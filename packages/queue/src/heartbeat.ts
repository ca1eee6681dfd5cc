import { config } from "@gantry/config";
import { z } from "zod";
import { defaultQueueContext, type QueueContext } from "./context";

/**
 * The Docker Engine as the worker found it at its last beat. Only workers talk to the engine;
 * the web reads this to report the engine's health and which Odoo series can be run.
 */
export const engineReport = z.object({
  ok: z.boolean(),
  /** "Docker Engine 26.1.5 (API 1.45)", or why the engine did not answer. */
  message: z.string().max(500),
  /** The Odoo series whose image the engine has. */
  series: z.array(z.string().max(20)).max(50),
});
export type EngineReport = z.infer<typeof engineReport>;

/** What a worker says about itself every WORKER_HEARTBEAT_MS. */
export const heartbeatInfo = z.object({
  hostname: z.string(),
  pid: z.number().int(),
  queues: z.array(z.string()),
  concurrency: z.number().int(),
  startedAt: z.iso.datetime(),
  engine: engineReport.optional(),
});
export type HeartbeatInfo = z.infer<typeof heartbeatInfo>;

const storedHeartbeat = heartbeatInfo.extend({ workerId: z.string(), lastSeen: z.iso.datetime() });
export type WorkerHeartbeat = z.infer<typeof storedHeartbeat>;

const workerIdPattern = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

function keyOf(context: QueueContext, workerId: string): string {
  if (!workerIdPattern.test(workerId)) throw new Error(`invalid worker id ${JSON.stringify(workerId)}`);
  return `${context.prefix}:heartbeat:${workerId}`;
}

/** A worker that stops beating drops out after three missed beats, without anyone cleaning up. */
export function heartbeatTtlMs(intervalMs = config().WORKER_HEARTBEAT_MS): number {
  return intervalMs * 3;
}

export async function writeHeartbeat(
  workerId: string,
  info: HeartbeatInfo,
  ttlMs = heartbeatTtlMs(),
  context: QueueContext = defaultQueueContext(),
): Promise<void> {
  const beat: WorkerHeartbeat = {
    ...heartbeatInfo.parse(info),
    workerId,
    lastSeen: new Date().toISOString(),
  };
  await context.redis().set(keyOf(context, workerId), JSON.stringify(beat), "PX", ttlMs);
}

/** A worker that shuts down cleanly says so at once instead of waiting for the TTL. */
export async function removeHeartbeat(
  workerId: string,
  context: QueueContext = defaultQueueContext(),
): Promise<void> {
  await context.redis().del(keyOf(context, workerId));
}

/** The workers whose heartbeat has not expired, newest first. */
export async function readHeartbeats(
  context: QueueContext = defaultQueueContext(),
): Promise<WorkerHeartbeat[]> {
  const redis = context.redis();
  const keys: string[] = [];
  // The prefix is restricted to [a-z0-9_-], so it cannot carry glob characters into MATCH.
  let cursor = "0";
  do {
    const [next, found] = await redis.scan(cursor, "MATCH", `${context.prefix}:heartbeat:*`, "COUNT", 200);
    cursor = next;
    keys.push(...found);
  } while (cursor !== "0");
  if (keys.length === 0) return [];
  const values = await redis.mget(...keys);
  const beats: WorkerHeartbeat[] = [];
  for (const value of values) {
    if (value === null) continue; // expired between SCAN and MGET
    try {
      const parsed = storedHeartbeat.safeParse(JSON.parse(value));
      if (parsed.success) beats.push(parsed.data);
    } catch {
      // Not JSON: not ours to read.
    }
  }
  return beats.sort((a, b) => b.lastSeen.localeCompare(a.lastSeen));
}
