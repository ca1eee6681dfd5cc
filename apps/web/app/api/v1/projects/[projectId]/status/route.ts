import { projectStatus } from "@gantry/core";
import { authedRoute } from "@/lib/api/authed";
import { getProjectStatus } from "@/lib/api/endpoints/status";

export const dynamic = "force-dynamic";

export const GET = authedRoute(getProjectStatus, async ({ actor, params }) =>
  projectStatus(actor, params.projectId),
);
