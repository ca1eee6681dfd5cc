import { setDbServerPool } from "@gantry/core";
import { authedRoute } from "@/lib/api/authed";
import { updateDbServer } from "@/lib/api/endpoints/db-servers";

export const dynamic = "force-dynamic";

export const PATCH = authedRoute(updateDbServer, ({ actor, params, body }) =>
  setDbServerPool(actor, params.serverId, body.pool),
);
