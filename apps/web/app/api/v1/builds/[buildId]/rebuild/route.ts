import { rebuild } from "@gantry/core";
import { authedRoute } from "@/lib/api/authed";
import { rebuildBuild } from "@/lib/api/endpoints/builds";

export const dynamic = "force-dynamic";

export const POST = authedRoute(rebuildBuild, async ({ actor, params }) => rebuild(actor, params.buildId));
