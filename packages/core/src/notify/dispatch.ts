// notifyProject: the one door for every event. The event is checked, its message resolved
// once, and one delivery per channel that wants it is recorded and queued on the
// `notifications` queue, where the worker sends it with retries. Telling people never fails
// the work it reports: a caller's failure to notify is logged by the caller, not thrown.
import { type Prisma, prisma } from "@gantry/db";
import { enqueue, notificationJobId, type QueueContext } from "@gantry/queue";
import { ensureDefaultChannel } from "./channels";
import { type NotifyEvent, notifyEvent, switchOf } from "./events";
import { resolveEvent } from "./resolve";

export interface Dispatched {
  /** The deliveries queued, one per channel that wants the event. */
  deliveryIds: string[];
}

export async function createDelivery(
  projectId: string,
  channelId: string,
  view: Awaited<ReturnType<typeof resolveEvent>> & object,
): Promise<string> {
  const row = await prisma().notificationDelivery.create({
    data: {
      projectId,
      channelId,
      event: view.view.event,
      title: view.view.title.slice(0, 500),
      payload: view.view as unknown as Prisma.InputJsonValue,
    },
    select: { id: true },
  });
  return row.id;
}

/** Sends `event` to every enabled channel of the project whose switch for it is on. */
export async function notifyProject(
  projectId: string,
  input: NotifyEvent,
  queue?: QueueContext,
): Promise<Dispatched> {
  const event = notifyEvent.parse(input);
  const resolved = await resolveEvent(event, projectId);
  // Gone, or about another project than the caller said: nothing to tell.
  if (!resolved || resolved.projectId !== projectId) return { deliveryIds: [] };
  const wanted = switchOf(event, resolved.stage);
  if (!wanted) return { deliveryIds: [] };
  await ensureDefaultChannel(projectId);
  const channels = await prisma().notificationChannel.findMany({
    where: { projectId, enabled: true, events: { has: wanted } },
    select: { id: true },
  });
  const deliveryIds: string[] = [];
  for (const channel of channels) {
    const deliveryId = await createDelivery(projectId, channel.id, resolved);
    await enqueue("notifications.deliver", { deliveryId }, { jobId: notificationJobId(deliveryId) }, queue);
    deliveryIds.push(deliveryId);
  }
  return { deliveryIds };
}
