import { requestModuleUpdate } from "@gantry/core";
import { authedRoute } from "@/lib/api/authed";
import { editorUpdateModule } from "@/lib/api/endpoints/editor";

export const dynamic = "force-dynamic";

export const POST = authedRoute(editorUpdateModule, async ({ actor, params, body }) =>
  requestModuleUpdate(actor, params.buildId, body),
);
