import { clientIp, createChannel as create, listChannels as list } from "@gantry/core";
import { authedRoute, toJson } from "@/lib/api/authed";
import { createChannel, listChannels } from "@/lib/api/endpoints/notifications";

export const dynamic = "force-dynamic";

export const GET = authedRoute(listChannels, async ({ actor, params }) => ({
  channels: toJson(await list(actor, params.projectId)),
}));

export const POST = authedRoute(createChannel, async ({ actor, params, body, request }) =>
  toJson(await create(actor, params.projectId, body, clientIp(request.headers))),
);
