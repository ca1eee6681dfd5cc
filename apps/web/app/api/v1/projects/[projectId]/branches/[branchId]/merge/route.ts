import { clientIp, mergeBranches } from "@gantry/core";
import { authedRoute } from "@/lib/api/authed";
import { mergeBranch } from "@/lib/api/endpoints/github";

export const dynamic = "force-dynamic";

export const POST = authedRoute(mergeBranch, async ({ actor, params, body, request }) =>
  mergeBranches(actor, params.projectId, params.branchId, body.into, clientIp(request.headers)),
);
