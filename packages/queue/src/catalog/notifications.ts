import { z } from "zod";
import { defineJob } from "./define";

/** The catalog of the `notifications` queue: one job per message to one channel. */
export const notificationJobs = {
  "notifications.deliver": defineJob({
    queue: "notifications",
    description:
      "Sends one NotificationDelivery (a project's event to one of its channels: mail, Slack, Teams " +
      "or a signed webhook) and records the attempt; a failed attempt is retried with backoff.",
    payload: z.object({ deliveryId: z.string().min(1).max(100) }).strict(),
    result: z.object({ status: z.string() }).passthrough(),
    // 5 s, 10 s, 20 s, 40 s, 80 s: a receiver that restarts or rate-limits gets a few minutes.
    attempts: 6,
    backoff: { type: "exponential", delayMs: 5_000 },
    timeoutMs: 60_000,
  }),
} as const;

/** One job per delivery: queueing it twice sends it once. */
export function notificationJobId(deliveryId: string): string {
  return `notify-${deliveryId}`;
}
