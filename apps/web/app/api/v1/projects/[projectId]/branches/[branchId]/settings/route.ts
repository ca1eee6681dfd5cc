import { clientIp, getBranchSettings as get, updateBranchSettings as update } from "@gantry/core";
import { authedRoute, toJson } from "@/lib/api/authed";
import { getBranchSettings, updateBranchSettings } from "@/lib/api/endpoints/github";

export const dynamic = "force-dynamic";

export const GET = authedRoute(getBranchSettings, async ({ actor, params }) =>
  toJson(await get(actor, params.projectId, params.branchId)),
);

export const PATCH = authedRoute(updateBranchSettings, async ({ actor, params, body, request }) =>
  toJson(await update(actor, params.projectId, params.branchId, body, clientIp(request.headers))),
);
