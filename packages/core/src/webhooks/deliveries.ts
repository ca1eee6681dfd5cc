// Recent deliveries of a project, as the settings page lists them, and redelivery through
// GitHub (which sends the same delivery again; Gantry answers it once).
import { prisma } from "@gantry/db";
import { type Actor, assertCan } from "../access";
import { AppError } from "../errors";
import { projectClient } from "../github/client";
import { viaGithub } from "../github/errors";

export interface DeliveryRow {
  id: string;
  deliveryId: string;
  event: string;
  action: string | null;
  ref: string | null;
  outcome: string;
  summary: string | null;
  error: string | null;
  receivedAt: Date;
  processedAt: Date | null;
}

export async function listDeliveries(actor: Actor, projectId: string, limit = 50): Promise<DeliveryRow[]> {
  assertCan(actor, "project_settings", { projectId });
  return prisma().webhookDelivery.findMany({
    where: { projectId },
    orderBy: { receivedAt: "desc" },
    take: Math.min(Math.max(limit, 1), 200),
    select: {
      id: true,
      deliveryId: true,
      event: true,
      action: true,
      ref: true,
      outcome: true,
      summary: true,
      error: true,
      receivedAt: true,
      processedAt: true,
    },
  });
}

/** The delivery's GUID as GitHub knows it (a failed attempt's row carries a suffix). */
export function guidOf(deliveryId: string): string {
  return deliveryId.split(FAILED_MARK)[0] ?? deliveryId;
}

/** Separates a failed attempt's GUID from its row id, so the GUID can be recorded again. */
export const FAILED_MARK = "~failed~";

/** Asks GitHub to send a delivery again (found by its GUID among the hook's deliveries). */
export async function redeliver(
  actor: Actor,
  projectId: string,
  deliveryRowId: string,
): Promise<{ requested: true }> {
  assertCan(actor, "project_settings", { projectId });
  const row = await prisma().webhookDelivery.findFirst({ where: { id: deliveryRowId, projectId } });
  if (!row) throw new AppError("not_found", "No such delivery");
  const project = await prisma().project.findUniqueOrThrow({ where: { id: projectId } });
  if (project.webhookHookId === null) throw new AppError("conflict", "The project has no webhook");
  const github = projectClient(project);
  const owner = project.githubOwner;
  const repo = project.githubRepo;
  const hookId = Number(project.webhookHookId);
  // A failed attempt is kept under a suffixed id (see handle.ts); GitHub knows the GUID.
  const guid = guidOf(row.deliveryId);
  await viaGithub(async () => {
    // Newest first: stop paging at the first attempt of this GUID (GitHub keeps days of them).
    const found = await github.octokit.paginate(
      github.octokit.rest.repos.listWebhookDeliveries,
      { owner, repo, hook_id: hookId, per_page: 100 },
      (response, done) => {
        const hit = response.data.filter((d) => d.guid === guid);
        if (hit.length > 0) done();
        return hit;
      },
    );
    const match = found[0];
    if (!match) throw new AppError("not_found", "GitHub no longer lists this delivery");
    await github.octokit.rest.repos.redeliverWebhookDelivery({
      owner,
      repo,
      hook_id: hookId,
      delivery_id: match.id,
    });
  });
  return { requested: true };
}
