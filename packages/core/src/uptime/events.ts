// "Production down" and "back up": the two moments of an incident worth telling people about.
// For now each leaves an audit event and a log line; notifications (mail, chat, webhooks)
// are meant to hang off these two functions, which the probe calls exactly once per incident.
import { createLogger } from "@gantry/config";
import { recordAudit } from "../audit";

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

/** The incident has lasted the project's downAlertMinutes. */
export async function onProductionDown(incident: IncidentNotice): Promise<void> {
  logger().warn(data(incident), "production down");
  await recordAudit({
    action: "production.down",
    projectId: incident.projectId,
    target: incident.branchId,
    data: data(incident),
  });
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
}
