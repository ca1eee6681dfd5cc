import { config } from "@gantry/config";
import { buildMetrics } from "@gantry/core";
import { authedRoute, toJson } from "@/lib/api/authed";
import { getBuildMetrics } from "@/lib/api/endpoints/metrics";

export const dynamic = "force-dynamic";

export const GET = authedRoute(getBuildMetrics, async ({ actor, params, query }) =>
  toJson(await buildMetrics(actor, params.buildId, query.range, config().METRICS_INTERVAL_SECONDS)),
);
