import { revokeInvitation as revoke } from "@gantry/core";
import { authedRoute } from "@/lib/api/authed";
import { revokeInvitation } from "@/lib/api/endpoints/projects";

export const dynamic = "force-dynamic";

export const DELETE = authedRoute(revokeInvitation, async ({ actor, params }) => {
  await revoke(actor, params.projectId, params.invitationId);
  return {};
});
