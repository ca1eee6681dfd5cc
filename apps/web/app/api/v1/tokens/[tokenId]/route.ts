import { revokeToken as revoke } from "@gantry/core";
import { authedRoute } from "@/lib/api/authed";
import { revokeToken } from "@/lib/api/endpoints/tokens";

export const dynamic = "force-dynamic";

export const DELETE = authedRoute(revokeToken, async ({ actor, params }) => {
  await revoke(actor, params.tokenId);
  return {};
});
