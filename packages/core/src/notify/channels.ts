// A project's notification channels, for its Admins (the project_settings right), each change
// audited. Webhook URLs (they carry the token) and the generic webhook's HMAC secret are stored
// encrypted and never answered: a channel shows a hint of its URL and whether it has a secret.
import { randomBytes } from "node:crypto";
import { type NotificationChannel, prisma } from "@gantry/db";
import { decrypt, encrypt } from "@gantry/secrets";
import { z } from "zod";
import { type Actor, assertCan } from "../access";
import { recordAudit } from "../audit";
import { AppError } from "../errors";
import { secretKey } from "../secret-key";
import { defaultSwitches, type EventSwitch, eventSwitches } from "./events";

export const channelKinds = ["MAIL", "SLACK", "TEAMS", "WEBHOOK"] as const;
export type ChannelKind = (typeof channelKinds)[number];

const MAX_CHANNELS = 20;
const webhookUrl = z
  .url({ protocol: /^https?$/ })
  .max(2000)
  .refine((u) => !new URL(u).username && !new URL(u).password, "no credentials in the URL");
const recipients = z.array(z.email().max(320)).max(20);
const events = z.array(z.enum(eventSwitches)).max(eventSwitches.length);

export const channelInput = z
  .object({
    kind: z.enum(channelKinds),
    name: z.string().trim().min(1).max(100),
    enabled: z.boolean().default(true),
    events: events.default([...defaultSwitches]),
    /** Mail: the addresses; none means the project's Admins. */
    recipients: recipients.default([]),
    /** Slack, Teams and generic webhooks: the incoming webhook's URL. */
    url: webhookUrl.optional(),
    /** Generic webhook: the HMAC key; one is generated when not given. */
    secret: z.string().min(16).max(200).optional(),
  })
  .strict();

export const channelUpdate = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    enabled: z.boolean().optional(),
    events: events.optional(),
    recipients: recipients.optional(),
    url: webhookUrl.optional(),
    secret: z.string().min(16).max(200).optional(),
  })
  .strict();

export interface ChannelView {
  id: string;
  kind: ChannelKind;
  name: string;
  enabled: boolean;
  events: EventSwitch[];
  recipients: string[];
  /** The URL's host and its last characters: enough to recognise it, not to use it. */
  targetHint: string | null;
  hasSecret: boolean;
  createdAt: Date;
}

function hintOf(url: string): string {
  const parsed = new URL(url);
  const tail = url.slice(-4);
  return `${parsed.protocol}//${parsed.host}/…${tail}`;
}

function view(row: NotificationChannel): ChannelView {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    enabled: row.enabled,
    events: eventSwitches.filter((e) => row.events.includes(e)) as EventSwitch[],
    recipients: row.recipients,
    targetHint: row.targetHint,
    hasSecret: row.secretEnc !== null,
    createdAt: row.createdAt,
  };
}

const key = () => secretKey("notification channels");

/** The channel's secrets in clear, for the sender only. */
export function channelSecrets(row: Pick<NotificationChannel, "targetEnc" | "secretEnc">): {
  url: string | null;
  secret: string | null;
} {
  return {
    url: row.targetEnc ? decrypt(row.targetEnc, key()) : null,
    secret: row.secretEnc ? decrypt(row.secretEnc, key()) : null,
  };
}

/**
 * Every project starts with one channel, made the first time notifications are looked at or
 * sent: mail to its Admins for what needs a person (upgrade outcomes were mailed to them
 * before channels existed). Made once; deleting it later is the Admins' choice.
 */
export async function ensureDefaultChannel(projectId: string): Promise<void> {
  const claimed = await prisma().project.updateMany({
    where: { id: projectId, notificationsSetUpAt: null },
    data: { notificationsSetUpAt: new Date() },
  });
  if (claimed.count === 0) return;
  await prisma().notificationChannel.create({
    data: { projectId, kind: "MAIL", name: "Project Admins", events: [...defaultSwitches] },
  });
}

async function liveProject(projectId: string): Promise<void> {
  const project = await prisma().project.findFirst({
    where: { id: projectId, deletionRequestedAt: null },
    select: { id: true },
  });
  if (!project) throw new AppError("not_found", "No such project");
}

export async function listChannels(actor: Actor, projectId: string): Promise<ChannelView[]> {
  assertCan(actor, "project_settings", { projectId });
  await liveProject(projectId);
  await ensureDefaultChannel(projectId);
  const rows = await prisma().notificationChannel.findMany({
    where: { projectId },
    orderBy: { createdAt: "asc" },
  });
  return rows.map(view);
}

export async function getChannel(
  actor: Actor,
  projectId: string,
  channelId: string,
): Promise<NotificationChannel> {
  assertCan(actor, "project_settings", { projectId });
  const row = await prisma().notificationChannel.findFirst({ where: { id: channelId, projectId } });
  if (!row) throw new AppError("not_found", "No such channel");
  return row;
}

function targetOf(kind: ChannelKind, url: string | undefined) {
  if (kind === "MAIL") return {};
  if (!url) throw new AppError("invalid_input", "A webhook channel needs its URL");
  return { targetEnc: encrypt(url, key()), targetHint: hintOf(url) };
}

export async function createChannel(
  actor: Actor,
  projectId: string,
  input: z.input<typeof channelInput>,
  ip?: string,
): Promise<ChannelView & { secret?: string }> {
  assertCan(actor, "project_settings", { projectId });
  await liveProject(projectId);
  await ensureDefaultChannel(projectId);
  const data = channelInput.parse(input);
  if ((await prisma().notificationChannel.count({ where: { projectId } })) >= MAX_CHANNELS)
    throw new AppError("conflict", `A project has at most ${MAX_CHANNELS} channels`);
  if (data.kind !== "WEBHOOK" && data.secret)
    throw new AppError("invalid_input", "Only a generic webhook is signed");
  // A generated secret is answered once, at creation, so the receiver can be set up with it.
  const generated =
    data.kind === "WEBHOOK" && !data.secret ? randomBytes(24).toString("base64url") : undefined;
  const secret = data.secret ?? generated;
  const row = await prisma().notificationChannel.create({
    data: {
      projectId,
      kind: data.kind,
      name: data.name,
      enabled: data.enabled,
      events: data.events,
      recipients: data.kind === "MAIL" ? data.recipients : [],
      ...targetOf(data.kind, data.url),
      secretEnc: secret ? encrypt(secret, key()) : null,
    },
  });
  await recordAudit({
    action: "notification.channel_created",
    projectId,
    userId: actor.userId,
    target: row.id,
    ip,
    data: { kind: row.kind, name: row.name, events: row.events },
  });
  return { ...view(row), ...(generated ? { secret: generated } : {}) };
}

export async function updateChannel(
  actor: Actor,
  projectId: string,
  channelId: string,
  input: z.input<typeof channelUpdate>,
  ip?: string,
): Promise<ChannelView> {
  const row = await getChannel(actor, projectId, channelId);
  const data = channelUpdate.parse(input);
  if (row.kind === "MAIL" && (data.url || data.secret))
    throw new AppError("invalid_input", "A mail channel has no URL");
  if (row.kind !== "WEBHOOK" && data.secret)
    throw new AppError("invalid_input", "Only a generic webhook is signed");
  const updated = await prisma().notificationChannel.update({
    where: { id: row.id },
    data: {
      ...(data.name === undefined ? {} : { name: data.name }),
      ...(data.enabled === undefined ? {} : { enabled: data.enabled }),
      ...(data.events === undefined ? {} : { events: data.events }),
      ...(data.recipients === undefined || row.kind !== "MAIL" ? {} : { recipients: data.recipients }),
      ...(data.url === undefined ? {} : targetOf(row.kind, data.url)),
      ...(data.secret === undefined ? {} : { secretEnc: encrypt(data.secret, key()) }),
    },
  });
  await recordAudit({
    action: "notification.channel_changed",
    projectId,
    userId: actor.userId,
    target: row.id,
    ip,
    // What changed, never the URL or the secret themselves.
    data: {
      changed: Object.keys(data),
      ...(data.events ? { events: updated.events } : {}),
      ...(data.enabled === undefined ? {} : { enabled: updated.enabled }),
    },
  });
  return view(updated);
}

export async function deleteChannel(
  actor: Actor,
  projectId: string,
  channelId: string,
  ip?: string,
): Promise<void> {
  const row = await getChannel(actor, projectId, channelId);
  await prisma().notificationChannel.delete({ where: { id: row.id } });
  await recordAudit({
    action: "notification.channel_deleted",
    projectId,
    userId: actor.userId,
    target: row.id,
    ip,
    data: { kind: row.kind, name: row.name },
  });
}

/** The disk threshold of the project's builds (database and filestore together), in MB. */
export async function setDiskThreshold(
  actor: Actor,
  projectId: string,
  diskAlertMb: number | null,
  ip?: string,
): Promise<{ diskAlertMb: number | null }> {
  assertCan(actor, "project_settings", { projectId });
  await liveProject(projectId);
  const value = z.number().int().min(1).max(10_000_000).nullable().parse(diskAlertMb);
  await prisma().project.update({ where: { id: projectId }, data: { diskAlertMb: value } });
  await recordAudit({
    action: "notification.disk_threshold",
    projectId,
    userId: actor.userId,
    ip,
    data: { diskAlertMb: value },
  });
  return { diskAlertMb: value };
}

export async function getDiskThreshold(
  actor: Actor,
  projectId: string,
): Promise<{ diskAlertMb: number | null }> {
  assertCan(actor, "project_settings", { projectId });
  const project = await prisma().project.findFirst({
    where: { id: projectId, deletionRequestedAt: null },
    select: { diskAlertMb: true },
  });
  if (!project) throw new AppError("not_found", "No such project");
  return project;
}
