import { listNotificationDeliveries as list } from "@gantry/core";
import { authedRoute, toJson } from "@/lib/api/authed";
import { listNotificationDeliveries } from "@/lib/api/endpoints/notifications";

export const dynamic = "force-dynamic";

export const GET = authedRoute(listNotificationDeliveries, async ({ actor, params, query }) => ({
  deliveries: toJson(await list(actor, params.projectId, query)),
}));
