import { clientIp, syncBranches } from "@gantry/core";
import { authedRoute } from "@/lib/api/authed";
import { syncGithub } from "@/lib/api/endpoints/github";

export const dynamic = "force-dynamic";

export const POST = authedRoute(syncGithub, async ({ actor, params, request }) =>
  syncBranches(actor, params.projectId, clientIp(request.headers)),
);
