import { getErrorGroup as get } from "@gantry/core";
import { authedRoute, toJson } from "@/lib/api/authed";
import { getErrorGroup } from "@/lib/api/endpoints/error-groups";

export const dynamic = "force-dynamic";

export const GET = authedRoute(getErrorGroup, async ({ actor, params }) =>
  toJson(await get(actor, params.projectId, params.groupId)),
);
