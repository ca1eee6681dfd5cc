// One webhook delivery from GitHub: verified over the raw bytes with the project's secret,
// recorded once per delivery id (a replay answers 200 "duplicate" and changes nothing), then
// applied. Never throws: every outcome is an HTTP status and a small JSON body.
import { createHash } from "node:crypto";
import { Prisma, prisma } from "@gantry/db";
import { type HeaderSource, MAX_WEBHOOK_BYTES, verifyAndParseWebhook } from "@gantry/github";
import type { QueuedBuild } from "../builds/enqueue";
import { unseal } from "../github/client";
import { createLogger } from "../logger";
import { readBodyCapped } from "../request-body";
import { FAILED_MARK } from "./deliveries";
import { type EventOutcome, onChecks, onDelete, onPullRequest, onPush } from "./events";
import { claimedRepository, projectForRepository } from "./lookup";

export interface WebhookAnswer {
  status: number;
  body: { ok: boolean; outcome: string; message?: string };
  /** Builds queued by this delivery: the caller reports them "pending" to GitHub afterwards. */
  builds: QueuedBuild[];
  /** Other builds whose state the delivery changed (replaced unstarted builds), reported too. */
  alsoReport?: string[];
}

const log = () => createLogger("webhook");

function refuse(status: number, outcome: string, message: string): WebhookAnswer {
  return { status, body: { ok: false, outcome, message }, builds: [] };
}

/** A delivery's raw bytes, read no further than GitHub's largest payload. */
export function readWebhookBody(request: Request): Promise<Buffer> {
  return readBodyCapped(request, MAX_WEBHOOK_BYTES);
}

export async function handleWebhook(rawBody: Buffer, headers: HeaderSource): Promise<WebhookAnswer> {
  if (rawBody.byteLength > MAX_WEBHOOK_BYTES) return refuse(413, "too_large", "payload too large");
  const claimed = claimedRepository(rawBody);
  if (!claimed) return refuse(400, "malformed", "body names no repository");
  const project = await projectForRepository(claimed.owner, claimed.repo);
  if (!project?.webhookSecretEnc)
    return refuse(404, "unknown_repository", "no project is connected to this repository");

  let secret: string;
  try {
    secret = unseal(project.webhookSecretEnc);
  } catch {
    return refuse(500, "secret_unreadable", "the webhook secret cannot be read (was GANTRY_SECRET changed?)");
  }
  const verified = await verifyAndParseWebhook({ rawBody, headers, secret });
  if (!verified.ok) {
    log().warn(
      { projectId: project.id, code: verified.code, deliveryId: verified.deliveryId },
      "webhook refused",
    );
    return refuse(verified.status, verified.code, verified.message);
  }

  const event = verified.event;
  let deliveryRowId: string;
  try {
    const row = await prisma().webhookDelivery.create({
      data: {
        deliveryId: verified.deliveryId,
        event: verified.eventName,
        projectId: project.id,
        action: "action" in event && typeof event.action === "string" ? event.action : null,
        ...(event.kind === "push"
          ? { ref: event.branch, beforeSha: event.before, afterSha: event.after }
          : {}),
        payloadSha: createHash("sha256").update(rawBody).digest("hex"),
      },
      select: { id: true },
    });
    deliveryRowId = row.id;
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      return { status: 200, body: { ok: true, outcome: "duplicate" }, builds: [] };
    }
    throw error;
  }

  let result: EventOutcome;
  try {
    switch (event.kind) {
      case "push":
        result = await onPush(project.id, event);
        break;
      case "delete":
        result = await onDelete(project.id, event);
        break;
      case "pull_request":
        result = await onPullRequest(project.id, event);
        break;
      case "checks":
        result = await onChecks(project.id, event);
        break;
      case "ping":
        result = { outcome: "pong", summary: `ping: ${event.zen}`, builds: [] };
        break;
      default:
        result = { outcome: "ignored", summary: `event ${event.event} is not used`, builds: [] };
    }
  } catch (error) {
    const message = (error as Error)?.message ?? String(error);
    log().error({ projectId: project.id, deliveryId: verified.deliveryId, err: error }, "webhook failed");
    // The failed attempt stays listed under a suffixed id, so a redelivery is applied afresh.
    await prisma().webhookDelivery.update({
      where: { id: deliveryRowId },
      data: {
        deliveryId: `${verified.deliveryId}${FAILED_MARK}${deliveryRowId}`,
        outcome: "error",
        error: message.slice(0, 1000),
        processedAt: new Date(),
      },
    });
    return {
      status: 500,
      body: { ok: false, outcome: "error", message: "the delivery could not be applied" },
      builds: [],
    };
  }
  await prisma().webhookDelivery.update({
    where: { id: deliveryRowId },
    data: {
      outcome: result.outcome,
      summary: result.summary.slice(0, 500),
      ref: result.ref ?? null,
      processedAt: new Date(),
    },
  });
  return {
    status: 200,
    body: { ok: true, outcome: result.outcome },
    builds: result.builds,
    alsoReport: result.alsoReport ?? [],
  };
}
