import { getMailAttachment } from "@gantry/core";
import { downloadMailAttachment } from "@/lib/api/endpoints/mails";
import { rawRoute } from "@/lib/logs/raw-route";
import { download } from "@/lib/mails/responses";

export const dynamic = "force-dynamic";

export const GET = rawRoute(downloadMailAttachment, async ({ actor, params }) => {
  const file = await getMailAttachment(actor, params.buildId, params.mailId, params.index);
  return download(file.content, file.contentType, file.filename);
});
