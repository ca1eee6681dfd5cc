import type { RedisOptions } from "bullmq";

/**
 * Who uses a connection. Workers block on Redis and must wait through outages forever
 * (`maxRetriesPerRequest: null`, which BullMQ requires); producers (the web app) give up on a
 * command after a few reconnect attempts so that a request fails instead of hanging.
 */
export type ConnectionRole = "worker" | "producer";

/** Reconnect quickly at first, then every 2 s at most, forever: a Redis restart is survived. */
export function reconnectDelay(attempt: number): number {
  return Math.min(100 * 2 ** Math.max(0, attempt - 1), 2000);
}

export interface RedisConnectionOptions extends RedisOptions {
  url: string;
}

export function redisConnectionOptions(url: string, role: ConnectionRole): RedisConnectionOptions {
  return {
    url,
    maxRetriesPerRequest: role === "worker" ? null : 3,
    enableOfflineQueue: true,
    retryStrategy: reconnectDelay,
    connectionName: `gantry-${role}`,
  };
}
