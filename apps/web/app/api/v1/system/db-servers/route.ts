import { listDbServerViews } from "@gantry/core";
import { authedRoute } from "@/lib/api/authed";
import { listDbServers } from "@/lib/api/endpoints/db-servers";

export const dynamic = "force-dynamic";

export const GET = authedRoute(listDbServers, async ({ actor }) => ({
  servers: await listDbServerViews(actor),
}));
