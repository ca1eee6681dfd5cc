import { clientIp, projectStatus, setDownAlertMinutes } from "@gantry/core";
import { authedRoute } from "@/lib/api/authed";
import { getProjectStatus, setDownAlert } from "@/lib/api/endpoints/status";

export const dynamic = "force-dynamic";

export const GET = authedRoute(getProjectStatus, async ({ actor, params }) =>
  projectStatus(actor, params.projectId),
);

export const PUT = authedRoute(setDownAlert, async ({ actor, params, body, request }) =>
  setDownAlertMinutes(actor, params.projectId, body, clientIp(request.headers)),
);
