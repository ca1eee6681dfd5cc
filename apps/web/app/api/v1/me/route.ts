import { authedRoute } from "@/lib/api/authed";
import { me } from "@/lib/api/endpoints/tokens";

export const dynamic = "force-dynamic";

export const GET = authedRoute(me, async ({ actor }) => ({
  id: actor.userId,
  email: actor.email,
  name: actor.name,
  isAdmin: actor.isAdmin,
  via: actor.via,
  memberships: { ...actor.memberships },
  tokenProjectIds: actor.tokenProjectIds ? [...actor.tokenProjectIds] : null,
}));
