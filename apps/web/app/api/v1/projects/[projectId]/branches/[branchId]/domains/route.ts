import { addDomain as add, clientIp, listDomains as list } from "@gantry/core";
import { authedRoute, toJson } from "@/lib/api/authed";
import { addDomain, listDomains } from "@/lib/api/endpoints/domains";

export const dynamic = "force-dynamic";

export const GET = authedRoute(listDomains, async ({ actor, params }) =>
  toJson({ domains: await list(actor, params.projectId, params.branchId) }),
);

export const POST = authedRoute(addDomain, async ({ actor, params, body, request }) =>
  toJson(await add(actor, params.projectId, params.branchId, body, clientIp(request.headers))),
);
