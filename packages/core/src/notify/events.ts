// The events a project can be told about, as callers hand them to notifyProject. Ids only (and
// the few facts the caller alone knows): the dispatcher loads names, branch and stage itself,
// so a message never carries what a caller happened to have at hand.
import { z } from "zod";

const id = z.string().min(1).max(100);
const reason = z.string().max(2000).optional();
const stageNames = ["production", "staging", "development"] as const;

export const notifyEvent = z.discriminatedUnion("type", [
  z.object({ type: z.literal("build.failed"), buildId: id }).strict(),
  z.object({ type: z.literal("build.fixed"), buildId: id }).strict(),
  z.object({ type: z.literal("deploy.started"), buildId: id }).strict(),
  z.object({ type: z.literal("deploy.done"), buildId: id }).strict(),
  z.object({ type: z.literal("deploy.rolled_back"), buildId: id, reason }).strict(),
  z.object({ type: z.literal("backup.failed"), backupId: id, reason }).strict(),
  z.object({ type: z.literal("backup.verification_failed"), backupId: id, reason }).strict(),
  z
    .object({
      type: z.literal("upgrade.ended"),
      attemptId: id,
      ok: z.boolean(),
      /** One line: what happened and where production stands. */
      summary: z.string().max(500),
      /** Plain text for mail only (the upgrade's report and the end of its log). */
      details: z.string().max(20_000).optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal("error.new_group"),
      buildId: id,
      groupId: id,
      /** The group's normalised first line (tenant text: escaped wherever markup is written). */
      title: z.string().max(500),
    })
    .strict(),
  z
    .object({
      type: z.literal("production.down"),
      branchId: id,
      buildId: id.optional(),
      minutes: z.number().int().min(0),
      reason,
    })
    .strict(),
  z
    .object({
      // The end of an incident told as "production.down": heard by the channels that asked for it.
      type: z.literal("production.up"),
      branchId: id,
      buildId: id.optional(),
      minutes: z.number().int().min(0),
    })
    .strict(),
  z
    .object({
      type: z.literal("disk.over_threshold"),
      buildId: id,
      bytes: z.number().int().min(0),
      thresholdBytes: z.number().int().min(0),
    })
    .strict(),
  z
    .object({
      // A custom domain whose DNS moved away or whose certificate renewal fails (scheduled recheck).
      type: z.literal("domain.problem"),
      domainId: id,
      reason: z.string().max(2000),
    })
    .strict(),
  z
    .object({
      // The cluster lost the node a serving build runs on (told for production only: Swarm
      // starts development and staging builds again on another node of their pool).
      type: z.literal("node.lost"),
      buildId: id,
      /** The node's hostname. */
      node: z.string().min(1).max(200),
    })
    .strict(),
  z.object({ type: z.literal("test") }).strict(),
]);
export type NotifyEvent = z.infer<typeof notifyEvent>;
export type NotifyEventType = NotifyEvent["type"];

/**
 * The switches of a channel: build events per stage, the others one each. The test event has
 * none: "send test" reaches the channel it is asked for.
 */
export const eventSwitches = [
  ...stageNames.map((s) => `build.failed.${s}` as const),
  ...stageNames.map((s) => `build.fixed.${s}` as const),
  "deploy.started",
  "deploy.done",
  "deploy.rolled_back",
  "backup.failed",
  "backup.verification_failed",
  "upgrade.ended",
  "error.new_group",
  "production.down",
  "disk.over_threshold",
  "domain.problem",
] as const;
export type EventSwitch = (typeof eventSwitches)[number];

export const eventSwitchLabels: Record<EventSwitch, string> = {
  "build.failed.production": "Build failed (production)",
  "build.failed.staging": "Build failed (staging)",
  "build.failed.development": "Build failed (development)",
  "build.fixed.production": "Build fixed (production)",
  "build.fixed.staging": "Build fixed (staging)",
  "build.fixed.development": "Build fixed (development)",
  "deploy.started": "Production deploy started",
  "deploy.done": "Production deploy done",
  "deploy.rolled_back": "Production deploy rolled back",
  "backup.failed": "Backup failed",
  "backup.verification_failed": "Backup verification failed",
  "upgrade.ended": "Upgrade ended",
  "error.new_group": "New error group on production",
  "production.down": "Production build down",
  "disk.over_threshold": "Build's disk over the threshold",
  "domain.problem": "Custom domain's DNS or certificate failing",
};

/** What a project's first channel (mail to its Admins) listens to: what needs a person. */
export const defaultSwitches: EventSwitch[] = [
  "build.failed.production",
  "deploy.rolled_back",
  "backup.failed",
  "backup.verification_failed",
  "upgrade.ended",
  "production.down",
  "disk.over_threshold",
  "domain.problem",
];

/** The switch an event is filtered by; build events need the build's stage. */
export function switchOf(event: NotifyEvent, stage?: string | null): EventSwitch | null {
  if (event.type === "test") return null;
  if (event.type === "production.up") return "production.down";
  if (event.type === "node.lost") return stage === "PRODUCTION" ? "production.down" : null;
  if (event.type === "build.failed" || event.type === "build.fixed") {
    const name = (stage ?? "").toLowerCase();
    return stageNames.includes(name as never) ? (`${event.type}.${name}` as EventSwitch) : null;
  }
  return event.type;
}
