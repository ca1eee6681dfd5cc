import { getRawMail } from "@gantry/core";
import { downloadRawMail } from "@/lib/api/endpoints/mails";
import { rawRoute } from "@/lib/logs/raw-route";
import { download } from "@/lib/mails/responses";

export const dynamic = "force-dynamic";

export const GET = rawRoute(downloadRawMail, async ({ actor, params }) => {
  const mail = await getRawMail(actor, params.buildId, params.mailId);
  return download(mail.raw, "message/rfc822", `${mail.id}.eml`);
});
