import { editorFileDiff } from "@gantry/core";
import { authedRoute } from "@/lib/api/authed";
import { editorDiff } from "@/lib/api/endpoints/editor";

export const dynamic = "force-dynamic";

export const GET = authedRoute(editorDiff, async ({ actor, params, query }) =>
  editorFileDiff(actor, params.buildId, query.path),
);
