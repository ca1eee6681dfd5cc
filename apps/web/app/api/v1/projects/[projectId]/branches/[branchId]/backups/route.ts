import { clientIp, listBackups, listRestores, requestManualBackup } from "@gantry/core";
import { authedRoute, toJson } from "@/lib/api/authed";
import { createBackup, listBranchBackups } from "@/lib/api/endpoints/backups";
import { reply } from "@/lib/api/reply";

export const dynamic = "force-dynamic";

export const GET = authedRoute(listBranchBackups, async ({ actor, params }) => ({
  backups: toJson(await listBackups(actor, params.projectId, { branchId: params.branchId })),
  restores: toJson(await listRestores(actor, params.projectId, params.branchId)),
}));

export const POST = authedRoute(createBackup, async ({ actor, params, body, request }) =>
  reply(
    202,
    await requestManualBackup(actor, params.projectId, params.branchId, body ?? {}, {
      ip: clientIp(request.headers),
    }),
  ),
);
