import { unacknowledgedUpgradeFailures } from "@gantry/core";
import { authedRoute, toJson } from "@/lib/api/authed";
import { listUpgradeFailures } from "@/lib/api/endpoints/upgrades";

export const dynamic = "force-dynamic";

export const GET = authedRoute(listUpgradeFailures, async ({ actor, params }) => ({
  failures: toJson(await unacknowledgedUpgradeFailures(actor, params.projectId)),
}));
