import { createLogger, handleWebhook, isAppError, readWebhookBody, reportBuildStatus } from "@gantry/core";
import { errorResponse } from "../../../../lib/api/errors";

// Imported by path-free name only, so the integration suite can serve this handler as is.
const log = createLogger("web");

export const dynamic = "force-dynamic";

/**
 * GitHub's deliveries. The signature is checked over the raw bytes (never re-serialized JSON);
 * the answer comes after a few queries; GitHub itself is called only after answering.
 */
export async function POST(request: Request): Promise<Response> {
  let raw: Buffer;
  try {
    raw = await readWebhookBody(request);
  } catch (error) {
    if (isAppError(error) && error.code === "too_large") return errorResponse("too_large", error.message);
    return Response.json({ ok: false, outcome: "malformed", message: "unreadable body" }, { status: 400 });
  }
  try {
    const answer = await handleWebhook(raw, request.headers);
    for (const buildId of [...answer.builds.map((b) => b.id), ...(answer.alsoReport ?? [])]) {
      // "pending" on the commit, sent after the answer so GitHub's latency never delays it.
      void reportBuildStatus(buildId).catch((error: unknown) =>
        log.warn({ err: error, buildId }, "pending status not sent"),
      );
    }
    return Response.json(answer.body, { status: answer.status });
  } catch (error) {
    log.error({ err: error }, "webhook delivery failed");
    return Response.json({ ok: false, outcome: "error", message: "internal error" }, { status: 500 });
  }
}
