import { buildOdooUsers as listUsers } from "@gantry/core";
import { authedRoute } from "@/lib/api/authed";
import { buildOdooUsers } from "@/lib/api/endpoints/connect";

export const dynamic = "force-dynamic";

export const GET = authedRoute(buildOdooUsers, async ({ actor, params }) => ({
  users: await listUsers(actor, params.buildId),
}));
