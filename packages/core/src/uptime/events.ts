// "Production down" and "back up": the two moments of an incident worth telling people about.
// Each leaves an audit event and a log line, and is told through the project's notification
// channels; the probe calls each exactly once per incident.
import { bestEffort, createLogger } from "@gantry/config";
import { recordAudit } from "../audit";
import { notifyProject } from "../notify";

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

/** The incident has lasted the project's downAlertMinutes (at `now`). */
export async function onProductionDown(incident: IncidentNotice, now = new Date()): Promise<void> {
  logger().warn(data(incident), "production down");
  await recordAudit({
    action: "production.down",
    projectId: incident.projectId,
    target: incident.branchId,
    data: data(incident),
  });
  // A channel that cannot be told now does not undo what was recorded.
  await bestEffort(
    "notifying the project",
    () =>
      notifyProject(incident.projectId, {
        type: "production.down",
        branchId: incident.branchId,
        ...(incident.buildId ? { buildId: incident.buildId } : {}),
        minutes: minutesSince(incident.startedAt, now),
        reason: incident.cause,
      }),
    { logger: logger() },
  );
}

/** An incident announced as "production down" has ended. */
export async function onProductionUp(incident: IncidentNotice): Promise<void> {
  logger().info(data(incident), "production back up");
  await recordAudit({
    action: "production.up",
    projectId: incident.projectId,
    target: incident.branchId,
    data: data(incident),
  });
  // A channel that cannot be told now does not undo what was recorded.
  await bestEffort(
    "notifying the project",
    () =>
      notifyProject(incident.projectId, {
        type: "production.up",
        branchId: incident.branchId,
        ...(incident.buildId ? { buildId: incident.buildId } : {}),
        minutes: minutesSince(incident.startedAt, incident.endedAt ?? new Date()),
      }),
    { logger: logger() },
  );
}
