import { requestProductionUpgrade } from "@gantry/core";
import { authedRoute, toJson } from "@/lib/api/authed";
import { scheduleProductionUpgrade } from "@/lib/api/endpoints/upgrades";

export const dynamic = "force-dynamic";

export const POST = authedRoute(scheduleProductionUpgrade, async ({ actor, params, body }) =>
  toJson(await requestProductionUpgrade(actor, params.projectId, params.branchId, body)),
);
