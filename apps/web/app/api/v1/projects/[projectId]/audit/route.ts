import { assertCan, listAudit as list } from "@gantry/core";
import { authedRoute, toJson } from "@/lib/api/authed";
import { listAudit } from "@/lib/api/endpoints/projects";

export const dynamic = "force-dynamic";

export const GET = authedRoute(listAudit, async ({ actor, params, query }) => {
  assertCan(actor, "project_settings", { projectId: params.projectId });
  const events = await list(params.projectId, {
    action: query.action,
    userId: query.userId,
    since: query.since ? new Date(query.since) : undefined,
    until: query.until ? new Date(query.until) : undefined,
    limit: query.limit,
  });
  return { events: toJson(events) };
});
