import { changeRole as change, clientIp, removeCollaborator as remove } from "@gantry/core";
import { authedRoute, toJson } from "@/lib/api/authed";
import { changeRole, removeCollaborator } from "@/lib/api/endpoints/projects";

export const dynamic = "force-dynamic";

export const PATCH = authedRoute(changeRole, async ({ actor, params, body, request }) =>
  toJson(await change(actor, params.projectId, params.collaboratorId, body, clientIp(request.headers))),
);

export const DELETE = authedRoute(removeCollaborator, async ({ actor, params, request }) => {
  await remove(actor, params.projectId, params.collaboratorId, clientIp(request.headers));
  return {};
});
