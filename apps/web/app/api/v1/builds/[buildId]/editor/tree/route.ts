import { editorTree as tree } from "@gantry/core";
import { authedRoute } from "@/lib/api/authed";
import { editorTree } from "@/lib/api/endpoints/editor";

export const dynamic = "force-dynamic";

export const GET = authedRoute(editorTree, async ({ actor, params }) => tree(actor, params.buildId));
