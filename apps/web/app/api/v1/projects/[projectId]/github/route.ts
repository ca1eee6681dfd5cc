import { clientIp, connectGithub as connect, getGithubConnection, setStagingLimit } from "@gantry/core";
import { authedRoute, toJson } from "@/lib/api/authed";
import { connectGithub, getGithub, updateStagingLimit } from "@/lib/api/endpoints/github";

export const dynamic = "force-dynamic";

export const GET = authedRoute(getGithub, async ({ actor, params }) =>
  toJson(await getGithubConnection(actor, params.projectId)),
);

export const PUT = authedRoute(connectGithub, async ({ actor, params, body, request }) =>
  toJson(await connect(actor, params.projectId, body, clientIp(request.headers))),
);

export const PATCH = authedRoute(updateStagingLimit, async ({ actor, params, body, request }) =>
  toJson(await setStagingLimit(actor, params.projectId, body, clientIp(request.headers))),
);
