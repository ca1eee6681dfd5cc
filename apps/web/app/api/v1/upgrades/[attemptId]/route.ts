import { stat } from "node:fs/promises";
import { getUpgradeAttempt, upgradeLogFile } from "@gantry/core";
import { authedRoute, toJson } from "@/lib/api/authed";
import { getUpgrade } from "@/lib/api/endpoints/upgrades";

export const dynamic = "force-dynamic";

export const GET = authedRoute(getUpgrade, async ({ actor, params }) => {
  const { branch: _branch, ...attempt } = await getUpgradeAttempt(actor, params.attemptId);
  const logBytes = await stat(upgradeLogFile(attempt.id)).then(
    (s) => s.size,
    () => null,
  );
  return { ...toJson(attempt), logBytes };
});
