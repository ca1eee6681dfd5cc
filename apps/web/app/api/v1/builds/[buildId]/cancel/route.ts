import { cancelBuild } from "@gantry/core";
import { authedRoute } from "@/lib/api/authed";
import { cancelBuildRequest } from "@/lib/api/endpoints/builds";

export const dynamic = "force-dynamic";

export const POST = authedRoute(cancelBuildRequest, async ({ actor, params }) =>
  cancelBuild(actor, params.buildId),
);
