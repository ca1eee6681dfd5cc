import { listErrorGroups as list } from "@gantry/core";
import { authedRoute, toJson } from "@/lib/api/authed";
import { listErrorGroups } from "@/lib/api/endpoints/error-groups";

export const dynamic = "force-dynamic";

export const GET = authedRoute(listErrorGroups, async ({ actor, params, query }) =>
  toJson(
    await list(actor, params.projectId, {
      stage: query.stage,
      branchId: query.branch,
      flaky: query.flaky,
      search: query.search,
      page: query.page,
      pageSize: query.pageSize,
    }),
  ),
);
