import { clientIp, makePrimaryDomain, removeDomain as remove } from "@gantry/core";
import { authedRoute, toJson } from "@/lib/api/authed";
import { removeDomain, updateDomain } from "@/lib/api/endpoints/domains";

export const dynamic = "force-dynamic";

export const PATCH = authedRoute(updateDomain, async ({ actor, params, request }) =>
  toJson(
    await makePrimaryDomain(
      actor,
      params.projectId,
      params.branchId,
      params.domainId,
      clientIp(request.headers),
    ),
  ),
);

export const DELETE = authedRoute(removeDomain, async ({ actor, params, request }) => {
  await remove(actor, params.projectId, params.branchId, params.domainId, clientIp(request.headers));
  return {};
});
