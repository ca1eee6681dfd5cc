import { AppError, getBuildMail } from "@gantry/core";
import { getMailHtml } from "@/lib/api/endpoints/mails";
import { rawRoute } from "@/lib/logs/raw-route";
import { sandboxedHtml } from "@/lib/mails/responses";

export const dynamic = "force-dynamic";

export const GET = rawRoute(getMailHtml, async ({ actor, params }) => {
  const { html } = await getBuildMail(actor, params.buildId, params.mailId);
  if (html === null) throw new AppError("not_found", "this mail has no HTML part");
  return sandboxedHtml(html);
});
