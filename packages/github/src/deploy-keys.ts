// Read-only deploy keys: Gantry clones private repositories and submodules with them.
import type { Octokit } from "@octokit/rest";
import { z } from "zod";
import { call, GithubError } from "./errors";
import { publicKeyIdentity } from "./keypair";
import { parseOrThrow } from "./repos";

const keySchema = z.object({
  id: z.number().int(),
  key: z.string(),
  title: z.string().nullable(),
  read_only: z.boolean(),
});
type Key = z.infer<typeof keySchema>;

async function findKey(
  octokit: Octokit,
  owner: string,
  repo: string,
  publicKey: string,
): Promise<Key | null> {
  const what = `list deploy keys of ${owner}/${repo}`;
  const keys = await call(what, () =>
    octokit.paginate(octokit.rest.repos.listDeployKeys, { owner, repo, per_page: 100 }),
  );
  const wanted = publicKeyIdentity(publicKey);
  return (
    parseOrThrow(z.array(keySchema), keys, what).find((k) => publicKeyIdentity(k.key) === wanted) ?? null
  );
}

export async function ensureDeployKey(
  octokit: Octokit,
  owner: string,
  repo: string,
  key: { title: string; publicKey: string },
): Promise<{ id: number; created: boolean }> {
  const existing = await findKey(octokit, owner, repo, key.publicKey);
  if (existing?.read_only) return { id: existing.id, created: false };
  if (existing) {
    // Keys cannot be edited; a writable one is replaced by a read-only one.
    await call(`delete deploy key ${existing.id}`, () =>
      octokit.rest.repos.deleteDeployKey({ owner, repo, key_id: existing.id }),
    );
  }
  const what = `add deploy key to ${owner}/${repo}`;
  const { data } = await call(what, () =>
    octokit.rest.repos.createDeployKey({
      owner,
      repo,
      title: key.title,
      key: key.publicKey,
      read_only: true,
    }),
  );
  return { id: parseOrThrow(keySchema, data, what).id, created: true };
}

export type DeployKeyProblem = { code: "no_permission" | "no_key" | "not_read_only"; message: string };

export async function verifyDeployKey(
  octokit: Octokit,
  owner: string,
  repo: string,
  publicKey: string,
): Promise<{ ok: boolean; problems: DeployKeyProblem[]; keyId: number | null }> {
  let key: Key | null;
  try {
    key = await findKey(octokit, owner, repo, publicKey);
  } catch (error) {
    if (error instanceof GithubError && (error.code === "forbidden" || error.code === "not_found")) {
      return {
        ok: false,
        keyId: null,
        problems: [
          { code: "no_permission", message: `cannot read deploy keys of ${owner}/${repo}: ${error.message}` },
        ],
      };
    }
    throw error;
  }
  if (!key) {
    return {
      ok: false,
      keyId: null,
      problems: [{ code: "no_key", message: `Gantry's key is not on ${owner}/${repo}` }],
    };
  }
  if (!key.read_only) {
    return {
      ok: false,
      keyId: key.id,
      problems: [{ code: "not_read_only", message: `deploy key ${key.id} can write` }],
    };
  }
  return { ok: true, keyId: key.id, problems: [] };
}
