import { branchHistory } from "@gantry/core";
import { authedRoute, toJson } from "@/lib/api/authed";
import { branchBuilds } from "@/lib/api/endpoints/github";

export const dynamic = "force-dynamic";

export const GET = authedRoute(branchBuilds, async ({ actor, params }) => ({
  builds: toJson((await branchHistory(actor, params.projectId, params.branchId)).builds),
}));
