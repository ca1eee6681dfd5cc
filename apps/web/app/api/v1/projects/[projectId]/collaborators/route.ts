import {
  clientIp,
  invitationLink,
  inviteCollaborator as invite,
  listCollaborators as list,
} from "@gantry/core";
import { authedRoute, toJson } from "@/lib/api/authed";
import { inviteCollaborator, listCollaborators } from "@/lib/api/endpoints/projects";

export const dynamic = "force-dynamic";

export const GET = authedRoute(listCollaborators, async ({ actor, params }) =>
  toJson(await list(actor, params.projectId)),
);

export const POST = authedRoute(inviteCollaborator, async ({ actor, params, body, request }) => {
  const result = await invite(actor, params.projectId, body, clientIp(request.headers));
  return result.kind === "added"
    ? { kind: result.kind, collaborator: toJson(result.collaborator) }
    : {
        kind: result.kind,
        invitation: toJson(result.invitation),
        // GitHub logins accept by signing in with GitHub; an email gets a link to set a password.
        inviteUrl: result.invitation.email ? invitationLink(result.token) : undefined,
      };
});
