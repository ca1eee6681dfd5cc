import { verifyDomain as verify } from "@gantry/core";
import { authedRoute, toJson } from "@/lib/api/authed";
import { verifyDomain } from "@/lib/api/endpoints/domains";

export const dynamic = "force-dynamic";

export const POST = authedRoute(verifyDomain, async ({ actor, params }) =>
  toJson(await verify(actor, params.projectId, params.branchId, params.domainId)),
);
