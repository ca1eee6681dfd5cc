import { cancelUpgrade } from "@gantry/core";
import { authedRoute } from "@/lib/api/authed";
import { cancelUpgradeRequest } from "@/lib/api/endpoints/upgrades";

export const dynamic = "force-dynamic";

export const POST = authedRoute(cancelUpgradeRequest, async ({ actor, params }) =>
  cancelUpgrade(actor, params.attemptId),
);
