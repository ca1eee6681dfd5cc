/** The BullMQ queues of Gantry; each has one job catalog. */
export const queueNames = ["builds", "backups", "migrations", "maintenance", "notifications"] as const;
export type QueueName = (typeof queueNames)[number];
