import { removeSshKey as remove } from "@gantry/core";
import { authedRoute } from "@/lib/api/authed";
import { removeSshKey } from "@/lib/api/endpoints/ssh-keys";

export const dynamic = "force-dynamic";

export const DELETE = authedRoute(removeSshKey, async ({ actor, params }) => {
  await remove(actor, params.keyId);
  return {};
});
