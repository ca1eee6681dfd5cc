import { listBackups } from "@gantry/core";
import { authedRoute, toJson } from "@/lib/api/authed";
import { listProjectBackups } from "@/lib/api/endpoints/backups";

export const dynamic = "force-dynamic";

export const GET = authedRoute(listProjectBackups, async ({ actor, params, query }) => ({
  backups: toJson(await listBackups(actor, params.projectId, { branchId: query.branchId })),
}));
