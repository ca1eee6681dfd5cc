import { connectToBuild } from "@gantry/core";
import { authedRoute } from "@/lib/api/authed";
import { connectBuild } from "@/lib/api/endpoints/connect";

export const dynamic = "force-dynamic";

export const POST = authedRoute(connectBuild, async ({ actor, params, body }) =>
  connectToBuild(actor, params.buildId, body),
);
