import { buildLogPath, getBuild } from "@gantry/core";
import { streamBuildLog } from "@/lib/api/endpoints/builds";
import { rawRoute } from "@/lib/logs/raw-route";
import { tailResponse, throttledEnd } from "@/lib/logs/tail-response";

export const dynamic = "force-dynamic";

export const GET = rawRoute(streamBuildLog, async ({ actor, params, request }) => {
  const path = await buildLogPath(actor, params.buildId, params.file);
  const finished = throttledEnd(async () => {
    const build = await getBuild(actor, params.buildId);
    return build.status === "DONE" || build.status === "CANCELLED";
  });
  return tailResponse({ path, request, finished });
});
