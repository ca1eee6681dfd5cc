import { getBuildMail } from "@gantry/core";
import { authedRoute, toJson } from "@/lib/api/authed";
import { getMail } from "@/lib/api/endpoints/mails";

export const dynamic = "force-dynamic";

export const GET = authedRoute(getMail, async ({ actor, params }) => {
  const { html, ...mail } = await getBuildMail(actor, params.buildId, params.mailId);
  return { ...toJson(mail), hasHtml: html !== null };
});
