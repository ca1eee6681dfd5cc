import { clientIp, sendTestNotification } from "@gantry/core";
import { authedRoute, toJson } from "@/lib/api/authed";
import { testChannel } from "@/lib/api/endpoints/notifications";

export const dynamic = "force-dynamic";

export const POST = authedRoute(testChannel, async ({ actor, params, request }) =>
  toJson(await sendTestNotification(actor, params.projectId, params.channelId, clientIp(request.headers))),
);
