import { config } from "@gantry/config";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { type ConnectionRole, type RedisConnectionOptions, redisConnectionOptions } from "./connection";
import type { QueueName } from "./queue-names";

export interface QueueContextOptions {
  redisUrl: string;
  /** Namespaces every key (BullMQ's `prefix`), so installations and tests can share a Redis. */
  prefix: string;
  role?: ConnectionRole;
}

/**
 * Where the queues live: one Redis and one key prefix, with the connections opened so far.
 * Processes use the default context from the configuration; tests make their own.
 */
export interface QueueContext {
  readonly prefix: string;
  readonly connection: RedisConnectionOptions;
  /** A plain client for Gantry's own keys (heartbeats) and pings. */
  redis(): Redis;
  queue(name: QueueName): Queue;
  close(): Promise<void>;
}

export function createQueueContext(options: QueueContextOptions): QueueContext {
  const connection = redisConnectionOptions(options.redisUrl, options.role ?? "producer");
  const queues = new Map<QueueName, Queue>();
  let client: Redis | undefined;
  return {
    prefix: options.prefix,
    connection,
    redis() {
      if (!client) {
        const { url, ...rest } = connection;
        client = new Redis(url, rest);
        // Without a listener ioredis reports each failed reconnect as an unhandled error;
        // callers see failures through their commands instead.
        client.on("error", () => {});
      }
      return client;
    },
    queue(name) {
      let queue = queues.get(name);
      if (!queue) {
        queue = new Queue(name, { connection, prefix: options.prefix });
        queue.on("error", () => {});
        queues.set(name, queue);
      }
      return queue;
    },
    async close() {
      const closing = [...queues.values()].map((queue) => queue.close());
      queues.clear();
      await Promise.allSettled(closing);
      if (client) {
        client.disconnect();
        client = undefined;
      }
    },
  };
}

// One default context per process; the global survives Next.js module reloads in development.
const globalForQueue = globalThis as unknown as { gantryQueueContext?: QueueContext };

/** The context of this process, from REDIS_URL and REDIS_PREFIX. */
export function defaultQueueContext(): QueueContext {
  globalForQueue.gantryQueueContext ??= createQueueContext({
    redisUrl: config().REDIS_URL,
    prefix: config().REDIS_PREFIX,
  });
  return globalForQueue.gantryQueueContext;
}

export async function closeDefaultQueueContext(): Promise<void> {
  const context = globalForQueue.gantryQueueContext;
  globalForQueue.gantryQueueContext = undefined;
  await context?.close();
}
