// A GitHub user's public SSH keys (`GET /users/{username}/keys`): public, no credentials needed.
// Gantry offers them for import into the user's account, so they can reach builds over SSH.
import type { Octokit } from "@octokit/rest";
import { z } from "zod";
import { call } from "./errors";
import { parseOrThrow } from "./repos";

const keysSchema = z.array(z.object({ id: z.number().int(), key: z.string().max(16_384) }));

export const GITHUB_LOGIN_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;

export async function listUserPublicKeys(
  octokit: Octokit,
  username: string,
): Promise<{ id: number; key: string }[]> {
  const what = `list the public keys of ${username}`;
  const keys = await call(what, () =>
    octokit.paginate(octokit.rest.users.listPublicKeysForUser, { username, per_page: 100 }),
  );
  return parseOrThrow(keysSchema, keys, what);
}
