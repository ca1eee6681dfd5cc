import { clientIp, requestRestore } from "@gantry/core";
import { authedRoute } from "@/lib/api/authed";
import { restoreBackup } from "@/lib/api/endpoints/backups";
import { reply } from "@/lib/api/reply";

export const dynamic = "force-dynamic";

export const POST = authedRoute(restoreBackup, async ({ actor, params, request }) =>
  reply(
    202,
    await requestRestore(actor, params.projectId, params.branchId, params.backupId, {
      ip: clientIp(request.headers),
    }),
  ),
);
