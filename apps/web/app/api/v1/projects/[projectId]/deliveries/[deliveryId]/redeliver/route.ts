import { redeliver as request } from "@gantry/core";
import { authedRoute } from "@/lib/api/authed";
import { redeliver } from "@/lib/api/endpoints/github";

export const dynamic = "force-dynamic";

export const POST = authedRoute(redeliver, async ({ actor, params }) =>
  request(actor, params.projectId, params.deliveryId),
);
