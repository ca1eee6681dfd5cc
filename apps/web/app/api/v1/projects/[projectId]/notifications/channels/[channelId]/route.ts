import { clientIp, deleteChannel as remove, updateChannel as update } from "@gantry/core";
import { authedRoute, toJson } from "@/lib/api/authed";
import { deleteChannel, updateChannel } from "@/lib/api/endpoints/notifications";

export const dynamic = "force-dynamic";

export const PATCH = authedRoute(updateChannel, async ({ actor, params, body, request }) =>
  toJson(await update(actor, params.projectId, params.channelId, body, clientIp(request.headers))),
);

export const DELETE = authedRoute(deleteChannel, async ({ actor, params, request }) => {
  await remove(actor, params.projectId, params.channelId, clientIp(request.headers));
  return {};
});
