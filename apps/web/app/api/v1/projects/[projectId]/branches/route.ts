import { clientIp, createBranch as create, listBranches as list } from "@gantry/core";
import { authedRoute, toJson } from "@/lib/api/authed";
import { createBranch, listBranches } from "@/lib/api/endpoints/projects";

export const dynamic = "force-dynamic";

export const GET = authedRoute(listBranches, async ({ actor, params }) => ({
  branches: toJson(await list(actor, params.projectId)),
}));

export const POST = authedRoute(createBranch, async ({ actor, params, body, request }) =>
  toJson(await create(actor, params.projectId, body, clientIp(request.headers))),
);
