import { buildLogPath, getBuild, isServing, servingLogFiles } from "@gantry/core";
import { streamBuildLog } from "@/lib/api/endpoints/builds";
import { rawRoute } from "@/lib/logs/raw-route";
import { tailResponse, throttledEnd } from "@/lib/logs/tail-response";

export const dynamic = "force-dynamic";

export const GET = rawRoute(streamBuildLog, async ({ actor, params, request }) => {
  const path = await buildLogPath(actor, params.buildId, params.file);
  // A phase's log is complete once the build ended; what a serving build writes (odoo.log, its
  // requests, slow statements, shell sessions) goes on as long as it serves: that tail has no
  // end and no time limit.
  const servingLog = servingLogFiles.includes(params.file);
  const finished = throttledEnd(async () => {
    const build = await getBuild(actor, params.buildId);
    if (build.status === "CANCELLED") return true;
    if (build.status !== "DONE") return false;
    return !servingLog || !isServing(build);
  });
  return tailResponse({ path, request, finished });
});
