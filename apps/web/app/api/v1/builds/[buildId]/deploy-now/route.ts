import { clientIp, deployNow } from "@gantry/core";
import { authedRoute } from "@/lib/api/authed";
import { deployNowRequest } from "@/lib/api/endpoints/builds";

export const dynamic = "force-dynamic";

export const POST = authedRoute(deployNowRequest, async ({ actor, params, request }) =>
  deployNow(actor, params.buildId, clientIp(request.headers)),
);
