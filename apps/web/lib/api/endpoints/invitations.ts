import { roles } from "@gantry/core";
import { z } from "zod";
import { defineEndpoint } from "../endpoint";

export const acceptInvitation = defineEndpoint({
  method: "post",
  path: "/api/v1/invitations/{token}/accept",
  summary:
    "Accept an invitation link: creates the invited email's account with this password, adds it to the project and signs it in (sets the session cookie)",
  tags: ["collaborators"],
  params: z.object({ token: z.string().min(1).max(200) }),
  body: z.object({ name: z.string().max(100), password: z.string().max(200) }),
  output: z.object({
    userId: z.string(),
    email: z.string(),
    projectId: z.string(),
    role: z.enum(roles),
  }),
  status: 201,
  maxBodyBytes: 4096,
  errors: ["not_found", "conflict", "rate_limited"],
});

export const invitationEndpoints = [acceptInvitation] as const;
