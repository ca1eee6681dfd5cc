import { readEditorFile, writeEditorFile } from "@gantry/core";
import { authedRoute } from "@/lib/api/authed";
import { editorReadFile, editorWriteFile } from "@/lib/api/endpoints/editor";

export const dynamic = "force-dynamic";

export const GET = authedRoute(editorReadFile, async ({ actor, params, query }) =>
  readEditorFile(actor, params.buildId, query.path),
);

export const PUT = authedRoute(editorWriteFile, async ({ actor, params, body }) =>
  writeEditorFile(actor, params.buildId, body),
);
