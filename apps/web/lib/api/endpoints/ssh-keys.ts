import { z } from "zod";
import { defineEndpoint } from "../endpoint";

const sshKey = z
  .object({
    id: z.string(),
    title: z.string(),
    type: z.string().describe("ssh-ed25519, ecdsa-sha2-nistp256, ssh-rsa…"),
    fingerprint: z.string().describe("SHA256:… as `ssh-keygen -lf` prints it"),
    source: z.string().describe("manual or github"),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
  })
  .meta({ id: "SshKey" });

export const listSshKeys = defineEndpoint({
  method: "get",
  path: "/api/v1/me/ssh-keys",
  summary: "The caller's SSH keys: `ssh <build id or slug>@host -p SSH port` opens a build's shell with them",
  tags: ["auth"],
  access: "signed-in",
  output: z.object({ keys: z.array(sshKey) }),
  errors: ["forbidden"],
});

export const addSshKey = defineEndpoint({
  method: "post",
  path: "/api/v1/me/ssh-keys",
  summary:
    "Register a public key (an authorized_keys line); a key belongs to one account (signed-in session only)",
  tags: ["auth"],
  access: "signed-in",
  body: z.object({ title: z.string().max(100).optional(), publicKey: z.string().max(16_384) }),
  output: sshKey,
  status: 201,
  errors: ["forbidden", "invalid_input", "conflict"],
});

export const removeSshKey = defineEndpoint({
  method: "delete",
  path: "/api/v1/me/ssh-keys/{keyId}",
  summary: "Remove one of the caller's SSH keys",
  tags: ["auth"],
  access: "signed-in",
  params: z.object({ keyId: z.string().min(1).max(100) }),
  output: z.object({}),
  status: 204,
  errors: ["forbidden", "not_found"],
});

export const importGithubSshKeys = defineEndpoint({
  method: "post",
  path: "/api/v1/me/ssh-keys/github",
  summary:
    "Import the public keys of a GitHub account (GitHub's `GET /users/{username}/keys`; by default " +
    "the account linked to the caller's); keys Gantry does not accept are listed as skipped",
  tags: ["auth"],
  access: "signed-in",
  body: z.object({ username: z.string().max(39).optional() }),
  output: z.object({
    imported: z.array(sshKey),
    skipped: z.array(z.object({ fingerprint: z.string().nullable(), reason: z.string() })),
  }),
  errors: ["forbidden", "invalid_input", "not_found", "conflict", "unavailable", "rate_limited"],
});

export const sshKeyEndpoints = [listSshKeys, addSshKey, removeSshKey, importGithubSshKeys] as const;
