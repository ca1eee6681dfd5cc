import { roles } from "@gantry/core";
import { z } from "zod";
import { defineEndpoint } from "../endpoint";

const token = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string(),
    projectIds: z.array(z.string()),
    createdAt: z.string(),
    expiresAt: z.string().nullable(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .meta({ id: "ApiToken" });

export const listTokens = defineEndpoint({
  method: "get",
  path: "/api/v1/tokens",
  summary: "The caller's API tokens (signed-in session only)",
  tags: ["tokens"],
  access: "signed-in",
  output: z.object({ tokens: z.array(token) }),
  errors: ["forbidden"],
});

export const createToken = defineEndpoint({
  method: "post",
  path: "/api/v1/tokens",
  summary: "Create an API token limited to some projects; the token is shown only in this answer",
  tags: ["tokens"],
  access: "signed-in",
  body: z.object({
    name: z.string().max(100),
    projectIds: z.array(z.string().max(100)).max(100),
    expiresInDays: z.number().int().optional(),
  }),
  output: z.object({ token: z.string().describe("Send as `Authorization: Bearer <token>`"), details: token }),
  status: 201,
  errors: ["forbidden"],
});

export const revokeToken = defineEndpoint({
  method: "delete",
  path: "/api/v1/tokens/{tokenId}",
  summary: "Revoke one of the caller's tokens",
  tags: ["tokens"],
  access: "signed-in",
  params: z.object({ tokenId: z.string().min(1).max(100) }),
  output: z.object({}),
  status: 204,
  errors: ["forbidden", "not_found"],
});

export const me = defineEndpoint({
  method: "get",
  path: "/api/v1/me",
  summary: "Who the caller is and their role on each project",
  tags: ["auth"],
  access: "signed-in",
  output: z.object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    isAdmin: z.boolean(),
    via: z.enum(["session", "token"]),
    memberships: z.record(z.string(), z.enum(roles)),
    tokenProjectIds: z.array(z.string()).nullable(),
  }),
});

/** Exists only when GANTRY_TEST_MODE=true: the end-to-end tests create their users with it. */
export const createTestUser = defineEndpoint({
  method: "post",
  path: "/api/v1/test/users",
  summary: "Create a user (test mode only; 404 otherwise)",
  tags: ["test"],
  body: z.object({
    email: z.string().max(320),
    name: z.string().max(100),
    password: z.string().max(200),
    isAdmin: z.boolean().optional(),
  }),
  output: z.object({ id: z.string(), email: z.string() }),
  status: 201,
  errors: ["not_found", "conflict"],
});

export const tokenEndpoints = [listTokens, createToken, revokeToken, me, createTestUser] as const;
