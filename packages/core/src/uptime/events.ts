// "Production down" and "back up": the two moments of an incident worth telling people about.
// Each leaves an audit event and a log line, and is told through the project's notification
// channels; the probe calls each exactly once per incident.
import { bestEffort, createLogger } from "@gantry/config";
import { recordAudit } from "../audit";
import { type NotifyEvent, notifyProject } from "../notify";

export interface IncidentNotice {
  id: string;
  projectId: string;
  branchId: string;
  buildId: string | null;
  startedAt: Date;
  endedAt: Date | null;
  cause: string;
}

const logger = () => createLogger("uptime");

function data(incident: IncidentNotice) {
  return {
    incidentId: incident.id,
    buildId: incident.buildId,
    cause: incident.cause,
    startedAt: incident.startedAt.toISOString(),
    ...(incident.endedAt ? { endedAt: incident.endedAt.toISOString() } : {}),
  };
}

const minutesSince = (start: Date, end: Date) =>
  Math.max(0, Math.round((end.getTime() - start.getTime()) / 60_000));

/** The audit event, then the project's channels (one that cannot be told now undoes nothing). */
async function announce(
  incident: IncidentNotice,
  action: "production.down" | "production.up",
  event: NotifyEvent,
): Promise<void> {
  await recordAudit({
    action,
    projectId: incident.projectId,
    target: incident.branchId,
    data: data(incident),
  });
  await bestEffort("notifying the project", () => notifyProject(incident.projectId, event), {
    logger: logger(),
  });
}

const about = (incident: IncidentNotice) => ({
  branchId: incident.branchId,
  ...(incident.buildId ? { buildId: incident.buildId } : {}),
});

/** The incident has lasted the project's downAlertMinutes (at `now`). */
export async function onProductionDown(incident: IncidentNotice, now = new Date()): Promise<void> {
  logger().warn(data(incident), "production down");
  await announce(incident, "production.down", {
    type: "production.down",
    ...about(incident),
    minutes: minutesSince(incident.startedAt, now),
    reason: incident.cause,
  });
}

/** An incident announced as "production down" has ended. */
export async function onProductionUp(incident: IncidentNotice): Promise<void> {
  logger().info(data(incident), "production back up");
  await announce(incident, "production.up", {
    type: "production.up",
    ...about(incident),
    minutes: minutesSince(incident.startedAt, incident.endedAt ?? new Date()),
  });
}
