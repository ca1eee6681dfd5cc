import { commitAndPush } from "@gantry/core";
import { authedRoute } from "@/lib/api/authed";
import { editorCommit } from "@/lib/api/endpoints/editor";

export const dynamic = "force-dynamic";

export const POST = authedRoute(editorCommit, async ({ actor, params, body }) =>
  commitAndPush(actor, params.buildId, body),
);
