// The worker's way to raise an event: notifyProject, with a failure to notify logged and
// swallowed, since telling people must never fail the build, backup or upgrade it reports.
import { bestEffort } from "@gantry/config";
import { type Logger, type NotifyEvent, notifyProject } from "@gantry/core";
import type { QueueContext } from "@gantry/queue";

export async function tell(
  context: { services: { queue: QueueContext }; logger: Logger },
  projectId: string,
  event: NotifyEvent,
): Promise<void> {
  await bestEffort(`notifying ${event.type}`, notifyProject(projectId, event, context.services.queue), {
    logger: context.logger,
    fields: { projectId, event: event.type },
  });
}
