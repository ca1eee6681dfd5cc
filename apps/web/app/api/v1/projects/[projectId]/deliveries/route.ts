import { listDeliveries as list } from "@gantry/core";
import { authedRoute, toJson } from "@/lib/api/authed";
import { listDeliveries } from "@/lib/api/endpoints/github";

export const dynamic = "force-dynamic";

export const GET = authedRoute(listDeliveries, async ({ actor, params }) => ({
  deliveries: toJson(await list(actor, params.projectId)),
}));
