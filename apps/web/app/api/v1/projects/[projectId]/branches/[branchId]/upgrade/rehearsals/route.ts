import { requestRehearsal } from "@gantry/core";
import { authedRoute, toJson } from "@/lib/api/authed";
import { startRehearsal } from "@/lib/api/endpoints/upgrades";

export const dynamic = "force-dynamic";

export const POST = authedRoute(startRehearsal, async ({ actor, params, body }) =>
  toJson(await requestRehearsal(actor, params.projectId, params.branchId, body)),
);
