import { clientIp, moveBranch as move } from "@gantry/core";
import { authedRoute } from "@/lib/api/authed";
import { moveBranch } from "@/lib/api/endpoints/github";

export const dynamic = "force-dynamic";

export const POST = authedRoute(moveBranch, async ({ actor, params, body, request }) =>
  move(actor, params.projectId, params.branchId, body, clientIp(request.headers)),
);
