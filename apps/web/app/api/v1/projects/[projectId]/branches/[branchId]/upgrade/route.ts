import { upgradeOverview } from "@gantry/core";
import { authedRoute, toJson } from "@/lib/api/authed";
import { getUpgradeOverview } from "@/lib/api/endpoints/upgrades";

export const dynamic = "force-dynamic";

export const GET = authedRoute(getUpgradeOverview, async ({ actor, params }) =>
  toJson(await upgradeOverview(actor, params.projectId, params.branchId)),
);
