import { moduleUpdateStatus } from "@gantry/core";
import { authedRoute } from "@/lib/api/authed";
import { editorUpdateModuleStatus } from "@/lib/api/endpoints/editor";

export const dynamic = "force-dynamic";

export const GET = authedRoute(editorUpdateModuleStatus, async ({ actor, params }) =>
  moduleUpdateStatus(actor, params.buildId, params.jobId),
);
