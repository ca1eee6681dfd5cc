import { editorChanges } from "@gantry/core";
import { authedRoute } from "@/lib/api/authed";
import { editorChangesList } from "@/lib/api/endpoints/editor";

export const dynamic = "force-dynamic";

export const GET = authedRoute(editorChangesList, async ({ actor, params }) =>
  editorChanges(actor, params.buildId),
);
