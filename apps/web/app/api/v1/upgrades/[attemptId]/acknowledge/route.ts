import { acknowledgeUpgradeFailure } from "@gantry/core";
import { authedRoute } from "@/lib/api/authed";
import { acknowledgeUpgrade } from "@/lib/api/endpoints/upgrades";

export const dynamic = "force-dynamic";

export const POST = authedRoute(acknowledgeUpgrade, async ({ actor, params }) =>
  acknowledgeUpgradeFailure(actor, params.attemptId),
);
