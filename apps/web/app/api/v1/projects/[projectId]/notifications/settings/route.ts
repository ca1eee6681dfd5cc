import { clientIp, getDiskThreshold, setDiskThreshold } from "@gantry/core";
import { authedRoute } from "@/lib/api/authed";
import { getNotificationSettings, setNotificationSettings } from "@/lib/api/endpoints/notifications";

export const dynamic = "force-dynamic";

export const GET = authedRoute(getNotificationSettings, async ({ actor, params }) =>
  getDiskThreshold(actor, params.projectId),
);

export const PUT = authedRoute(setNotificationSettings, async ({ actor, params, body, request }) =>
  setDiskThreshold(actor, params.projectId, body.diskAlertMb, clientIp(request.headers)),
);
