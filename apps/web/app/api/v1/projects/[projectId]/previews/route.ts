import { clientIp, listPreviews as list, previewSettings, setPreviewSettings } from "@gantry/core";
import { authedRoute, toJson } from "@/lib/api/authed";
import { listPreviews, updatePreviewSettings } from "@/lib/api/endpoints/previews";

export const dynamic = "force-dynamic";

export const GET = authedRoute(listPreviews, async ({ actor, params, query }) => ({
  settings: await previewSettings(actor, params.projectId),
  previews: toJson(await list(actor, params.projectId, { open: query.open === "true" })),
}));

export const PATCH = authedRoute(updatePreviewSettings, async ({ actor, params, body, request }) =>
  setPreviewSettings(actor, params.projectId, body, clientIp(request.headers)),
);
