import { verifyGithub as verify } from "@gantry/core";
import { authedRoute } from "@/lib/api/authed";
import { verifyGithub } from "@/lib/api/endpoints/github";

export const dynamic = "force-dynamic";

export const POST = authedRoute(verifyGithub, async ({ actor, params }) => verify(actor, params.projectId));
