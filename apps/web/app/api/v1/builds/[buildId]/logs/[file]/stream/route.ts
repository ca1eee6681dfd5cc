import { buildLogComplete, buildLogPath, getBuild } from "@gantry/core";
import { streamBuildLog } from "@/lib/api/endpoints/builds";
import { rawRoute } from "@/lib/logs/raw-route";
import { tailResponse, throttledEnd } from "@/lib/logs/tail-response";

export const dynamic = "force-dynamic";

export const GET = rawRoute(streamBuildLog, async ({ actor, params, request }) => {
  const path = await buildLogPath(actor, params.buildId, params.file);
  const finished = throttledEnd(async () =>
    buildLogComplete(await getBuild(actor, params.buildId), params.file),
  );
  return tailResponse({ path, request, finished });
});
