import { listBuilds } from "@gantry/core";
import { authedRoute, toJson } from "@/lib/api/authed";
import { listProjectBuilds } from "@/lib/api/endpoints/builds";

export const dynamic = "force-dynamic";

export const GET = authedRoute(listProjectBuilds, async ({ actor, params, query }) => ({
  builds: toJson(await listBuilds(actor, params.projectId, query)),
}));
