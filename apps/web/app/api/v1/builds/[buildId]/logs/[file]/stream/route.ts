import { buildLogPath, getBuild } from "@gantry/core";
import { streamBuildLog } from "@/lib/api/endpoints/builds";
import { rawRoute } from "@/lib/logs/raw-route";
import { resumeOffset } from "@/lib/logs/sse";
import { tailStream } from "@/lib/logs/tail";

export const dynamic = "force-dynamic";

/** How often the build's status is read while the file is quiet. */
const statusEveryMs = 1500;

export const GET = rawRoute(streamBuildLog, async ({ actor, params, request }) => {
  const path = await buildLogPath(actor, params.buildId, params.file);
  let checkedAt = 0;
  let ended = false;
  const finished = async () => {
    if (ended || Date.now() - checkedAt < statusEveryMs) return ended;
    checkedAt = Date.now();
    const build = await getBuild(actor, params.buildId);
    ended = build.status === "DONE" || build.status === "CANCELLED";
    return ended;
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
