import { getUpgradeAttempt, upgradeLogPath } from "@gantry/core";
import { streamUpgradeLog } from "@/lib/api/endpoints/upgrades";
import { rawRoute } from "@/lib/logs/raw-route";
import { tailResponse, throttledEnd } from "@/lib/logs/tail-response";

export const dynamic = "force-dynamic";

const ended = new Set(["SUCCEEDED", "FAILED", "CANCELLED"]);

export const GET = rawRoute(streamUpgradeLog, async ({ actor, params, request }) => {
  const path = await upgradeLogPath(actor, params.attemptId);
  const finished = throttledEnd(async () =>
    ended.has((await getUpgradeAttempt(actor, params.attemptId)).status),
  );
  return tailResponse({ path, request, finished });
});
