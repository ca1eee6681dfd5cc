import { clientIp, getProjectNetwork as get, setProjectNetwork as set } from "@gantry/core";
import { authedRoute, toJson } from "@/lib/api/authed";
import { getProjectNetwork, setProjectNetwork } from "@/lib/api/endpoints/projects";

export const dynamic = "force-dynamic";

export const GET = authedRoute(getProjectNetwork, async ({ actor, params }) =>
  toJson(await get(actor, params.projectId)),
);

export const PUT = authedRoute(setProjectNetwork, async ({ actor, params, body, request }) =>
  toJson(await set(actor, params.projectId, body, clientIp(request.headers))),
);
