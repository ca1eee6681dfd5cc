// Repositories and branches, validated into the fields Gantry uses.
import type { Octokit } from "@octokit/rest";
import { z } from "zod";
import { call, GithubError } from "./errors";

const repositorySchema = z.object({
  id: z.number().int(),
  name: z.string(),
  full_name: z.string(),
  private: z.boolean(),
  archived: z.boolean().optional().default(false),
  default_branch: z.string(),
  html_url: z.string(),
  clone_url: z.string(),
  ssh_url: z.string(),
  owner: z.object({ login: z.string() }),
  permissions: z
    .object({
      admin: z.boolean(),
      push: z.boolean(),
      pull: z.boolean(),
      maintain: z.boolean().optional(),
      triage: z.boolean().optional(),
    })
    .optional(),
});

export interface Repository {
  id: number;
  name: string;
  owner: string;
  fullName: string;
  private: boolean;
  archived: boolean;
  defaultBranch: string;
  htmlUrl: string;
  cloneUrl: string;
  sshUrl: string;
  /** What the credentials may do; null when GitHub did not say (e.g. some app tokens). */
  permissions: { admin: boolean; maintain: boolean; push: boolean; pull: boolean } | null;
}

export function parseOrThrow<T extends z.ZodType>(schema: T, data: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new GithubError(
      "bad_response",
      `${what}: unexpected response at ${issue?.path.join(".")}: ${issue?.message}`,
    );
  }
  return result.data;
}

export async function getRepository(octokit: Octokit, owner: string, repo: string): Promise<Repository> {
  const what = `get repository ${owner}/${repo}`;
  const { data } = await call(what, () => octokit.rest.repos.get({ owner, repo }));
  const r = parseOrThrow(repositorySchema, data, what);
  return {
    id: r.id,
    name: r.name,
    owner: r.owner.login,
    fullName: r.full_name,
    private: r.private,
    archived: r.archived,
    defaultBranch: r.default_branch,
    htmlUrl: r.html_url,
    cloneUrl: r.clone_url,
    sshUrl: r.ssh_url,
    permissions: r.permissions
      ? {
          admin: r.permissions.admin,
          maintain: r.permissions.maintain ?? r.permissions.admin,
          push: r.permissions.push,
          pull: r.permissions.pull,
        }
      : null,
  };
}

const branchSchema = z.object({
  name: z.string(),
  commit: z.object({ sha: z.string().regex(/^[0-9a-f]{40}$/) }),
  protected: z.boolean().optional().default(false),
});

export interface Branch {
  name: string;
  sha: string;
  protected: boolean;
}

/** Every branch of the repository, following GitHub's Link pagination. */
export async function listBranches(octokit: Octokit, owner: string, repo: string): Promise<Branch[]> {
  const what = `list branches of ${owner}/${repo}`;
  const data = await call(what, () =>
    octokit.paginate(octokit.rest.repos.listBranches, { owner, repo, per_page: 100 }),
  );
  return parseOrThrow(z.array(branchSchema), data, what).map((b) => ({
    name: b.name,
    sha: b.commit.sha,
    protected: b.protected,
  }));
}

/** One branch, or null when GitHub does not know it. */
export async function getBranch(
  octokit: Octokit,
  owner: string,
  repo: string,
  branch: string,
): Promise<Branch | null> {
  const what = `get branch ${branch} of ${owner}/${repo}`;
  try {
    const { data } = await call(what, () => octokit.rest.repos.getBranch({ owner, repo, branch }));
    const b = parseOrThrow(branchSchema, data, what);
    return { name: b.name, sha: b.commit.sha, protected: b.protected };
  } catch (error) {
    if (error instanceof GithubError && error.code === "not_found") return null;
    throw error;
  }
}
