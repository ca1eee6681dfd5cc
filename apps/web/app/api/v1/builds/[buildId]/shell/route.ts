import { issueShellTicket } from "@gantry/core";
import { authedRoute, toJson } from "@/lib/api/authed";
import { openShell } from "@/lib/api/endpoints/shell";

export const dynamic = "force-dynamic";

export const POST = authedRoute(openShell, async ({ actor, params }) =>
  toJson(await issueShellTicket(actor, params.buildId)),
);
