import { getBuild } from "@gantry/core";
import { authedRoute, toJson } from "@/lib/api/authed";
import { getBuildDetail } from "@/lib/api/endpoints/builds";
import { buildLogSizes } from "@/lib/logs/files";

export const dynamic = "force-dynamic";

export const GET = authedRoute(getBuildDetail, async ({ actor, params }) => {
  const build = await getBuild(actor, params.buildId);
  return { ...toJson(build), logs: await buildLogSizes(actor, build) };
});
