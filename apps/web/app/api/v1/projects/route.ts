import { clientIp, createProject as create, listProjects as list } from "@gantry/core";
import { authedRoute, toJson } from "@/lib/api/authed";
import { createProject, listProjects } from "@/lib/api/endpoints/projects";

export const dynamic = "force-dynamic";

export const GET = authedRoute(listProjects, async ({ actor }) => ({ projects: toJson(await list(actor)) }));

export const POST = authedRoute(createProject, async ({ actor, body, request }) =>
  toJson(await create(actor, body, clientIp(request.headers))),
);
