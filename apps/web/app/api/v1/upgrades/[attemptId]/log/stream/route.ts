import { getUpgradeAttempt, upgradeLogPath } from "@gantry/core";
import { streamUpgradeLog } from "@/lib/api/endpoints/upgrades";
import { rawRoute } from "@/lib/logs/raw-route";
import { resumeOffset } from "@/lib/logs/sse";
import { tailStream } from "@/lib/logs/tail";

export const dynamic = "force-dynamic";

/** How often the attempt's status is read while the file is quiet. */
const statusEveryMs = 1500;
const ended = new Set(["SUCCEEDED", "FAILED", "CANCELLED"]);

export const GET = rawRoute(streamUpgradeLog, async ({ actor, params, request }) => {
  const path = await upgradeLogPath(actor, params.attemptId);
  let checkedAt = 0;
  let done = false;
  const finished = async () => {
    if (done || Date.now() - checkedAt < statusEveryMs) return done;
    checkedAt = Date.now();
    done = ended.has((await getUpgradeAttempt(actor, params.attemptId)).status);
    return done;
  };
  const body = tailStream({
    path,
    from: resumeOffset(request.headers.get("last-event-id")),
    signal: request.signal,
    finished,
  });
  return new Response(body, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    },
  });
});
