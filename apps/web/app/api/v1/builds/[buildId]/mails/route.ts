import { listBuildMails } from "@gantry/core";
import { authedRoute, toJson } from "@/lib/api/authed";
import { listMails } from "@/lib/api/endpoints/mails";

export const dynamic = "force-dynamic";

export const GET = authedRoute(listMails, async ({ actor, params, query }) => ({
  mails: toJson(await listBuildMails(actor, params.buildId, query)),
}));
