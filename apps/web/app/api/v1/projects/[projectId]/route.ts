import { clientIp, getProject as get, deleteProject as remove, renameProject as rename } from "@gantry/core";
import { authedRoute, toJson } from "@/lib/api/authed";
import { deleteProject, getProject, renameProject } from "@/lib/api/endpoints/projects";

export const dynamic = "force-dynamic";

export const GET = authedRoute(getProject, async ({ actor, params }) =>
  toJson(await get(actor, params.projectId)),
);

export const PATCH = authedRoute(renameProject, async ({ actor, params, body, request }) =>
  toJson(await rename(actor, params.projectId, body, clientIp(request.headers))),
);

export const DELETE = authedRoute(deleteProject, async ({ actor, params, query, request }) =>
  remove(
    actor,
    params.projectId,
    { confirmName: query.confirmName, keepLastBackup: query.keepLastBackup === "true" },
    clientIp(request.headers),
  ),
);
