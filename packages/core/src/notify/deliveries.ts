// The delivery log of a project's notifications, for its Admins, and "send test": one attempt
// now, in the request, so the Admin sees at once what the receiver answered.
import { prisma } from "@gantry/db";
import { type Actor, assertCan } from "../access";
import { recordAudit } from "../audit";
import { AppError } from "../errors";
import { type ChannelKind, getChannel } from "./channels";
import { createDelivery } from "./dispatch";
import { resolveEvent } from "./resolve";
import { attemptDelivery } from "./transport";

export interface NotificationDeliveryView {
  id: string;
  channelId: string;
  channelName: string;
  channelKind: ChannelKind;
  event: string;
  title: string;
  status: "QUEUED" | "RETRYING" | "DELIVERED" | "FAILED";
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  finishedAt: Date | null;
  attemptLog: {
    attempt: number;
    ok: boolean;
    httpStatus: number | null;
    smtpAnswer: string | null;
    error: string | null;
    durationMs: number;
    at: Date;
  }[];
}

const select = {
  id: true,
  channelId: true,
  event: true,
  title: true,
  status: true,
  attempts: true,
  lastError: true,
  createdAt: true,
  finishedAt: true,
  channel: { select: { name: true, kind: true } },
  attemptLog: {
    orderBy: { attempt: "asc" },
    select: {
      attempt: true,
      ok: true,
      httpStatus: true,
      smtpAnswer: true,
      error: true,
      durationMs: true,
      at: true,
    },
  },
} as const;

type Row = { channel: { name: string; kind: ChannelKind } } & Omit<
  NotificationDeliveryView,
  "channelName" | "channelKind"
>;

function view({ channel, ...row }: Row): NotificationDeliveryView {
  return { ...row, channelName: channel.name, channelKind: channel.kind };
}

export async function listNotificationDeliveries(
  actor: Actor,
  projectId: string,
  options: { channelId?: string; limit?: number } = {},
): Promise<NotificationDeliveryView[]> {
  assertCan(actor, "project_settings", { projectId });
  const rows = await prisma().notificationDelivery.findMany({
    where: { projectId, ...(options.channelId ? { channelId: options.channelId } : {}) },
    orderBy: { createdAt: "desc" },
    take: Math.min(Math.max(options.limit ?? 50, 1), 200),
    select,
  });
  return rows.map(view);
}

/** Sends a test notice to one channel now (one attempt, no retry) and answers how it went. */
export async function sendTestNotification(
  actor: Actor,
  projectId: string,
  channelId: string,
  ip?: string,
): Promise<NotificationDeliveryView> {
  const channel = await getChannel(actor, projectId, channelId);
  const resolved = await resolveEvent({ type: "test" }, projectId);
  if (!resolved) throw new AppError("not_found", "No such project");
  const deliveryId = await createDelivery(projectId, channel.id, resolved);
  await attemptDelivery(deliveryId, 1, true);
  await recordAudit({
    action: "notification.test_sent",
    projectId,
    userId: actor.userId,
    target: channel.id,
    ip,
    data: { deliveryId },
  });
  return view(await prisma().notificationDelivery.findUniqueOrThrow({ where: { id: deliveryId }, select }));
}
