// The project's uptime setting: how long an incident lasts before it is "production down".
import { prisma } from "@gantry/db";
import { z } from "zod";
import { type Actor, assertCan } from "../access";
import { recordAudit } from "../audit";
import { AppError } from "../errors";

export const downAlertInput = z.object({ downAlertMinutes: z.number().int().min(1).max(1440) });

export async function setDownAlertMinutes(
  actor: Actor,
  projectId: string,
  input: z.input<typeof downAlertInput>,
  ip?: string | null,
): Promise<{ downAlertMinutes: number }> {
  assertCan(actor, "project_settings", { projectId });
  const { downAlertMinutes } = downAlertInput.parse(input);
  const { count } = await prisma().project.updateMany({
    where: { id: projectId, deletionRequestedAt: null },
    data: { downAlertMinutes },
  });
  if (count !== 1) throw new AppError("not_found", "No such project");
  await recordAudit({
    action: "project.down_alert",
    projectId,
    userId: actor.userId,
    data: { downAlertMinutes },
    ip,
  });
  return { downAlertMinutes };
}
