// The `notifications.deliver` job: one attempt at one delivery. A failed attempt that may work
// later throws, so BullMQ retries it with the catalog's exponential backoff; the last attempt
// and a final refusal (a 4xx, no SMTP_URL) end the delivery as FAILED without retry.
import { attemptDelivery } from "@gantry/core";
import { jobCatalog } from "@gantry/queue";
import { UnrecoverableError } from "bullmq";
import type { JobHandler } from "../handler";

export const deliverNotificationJob: JobHandler<"notifications.deliver"> = async (
  { deliveryId },
  context,
) => {
  const final = context.attempt >= jobCatalog["notifications.deliver"].attempts;
  const outcome = await attemptDelivery(deliveryId, context.attempt, final);
  if (outcome.ok) return { status: "DELIVERED" };
  context.logger.warn({ deliveryId, error: outcome.error, final }, "a notification attempt failed");
  if (!outcome.retryable) throw new UnrecoverableError(outcome.error ?? "refused");
  throw new Error(outcome.error ?? "failed");
};
