// How the build job fetches a project's code: over SSH with the project's read-only deploy key;
// private submodules on GitHub, which that key cannot reach (GitHub refuses one deploy key on a
// second repository), over HTTPS with the project's GitHub connection (submoduleCredentials).
// Host keys are checked against a known_hosts file Gantry keeps under its data dir: github.com's
// published keys are written in up front; another host (GitHub Enterprise, or a git server set as
// the project's git URL) is recorded on first contact (accept-new) and a changed key is refused.
import { join, resolve } from "node:path";
import { config } from "@gantry/config";
import { prisma } from "@gantry/db";
import { ensureKnownHosts } from "@gantry/git";
import { GITHUB_SSH_HOST, GITHUB_SSH_HOST_KEYS, gitPushToken, gitSubmoduleTokenEnv } from "@gantry/github";
import { AppError } from "../errors";
import { authOf, unseal } from "./client";

export interface CloneSource {
  /** git@HOST:owner/repo.git, or the project's own git URL. */
  url: string;
  /** The private key in OpenSSH format; pass it to @gantry/git as `sshKey`, never log it. */
  sshKey: string | null;
  /** The known_hosts file to check SSH hosts against (already holds github.com's keys). */
  knownHostsFile: string;
  /** A path or file:// URL set by the administrator (tests, mirrors): no SSH involved. */
  local: boolean;
}

/** The SSH host of the configured GitHub: github.com, or the Enterprise server's host. */
export function gitHost(apiUrl = config().GITHUB_API_URL): string {
  const host = new URL(apiUrl).hostname;
  return host === "api.github.com" ? GITHUB_SSH_HOST : host;
}

export function knownHostsFile(): string {
  return join(resolve(config().GANTRY_DATA_DIR), "ssh", "known_hosts");
}

export function cloneUrlOf(project: {
  githubOwner: string;
  githubRepo: string;
  gitUrl: string | null;
}): string {
  return project.gitUrl ?? `git@${gitHost()}:${project.githubOwner}/${project.githubRepo}.git`;
}

export async function cloneSource(projectId: string): Promise<CloneSource> {
  const project = await prisma().project.findUnique({
    where: { id: projectId },
    select: { githubOwner: true, githubRepo: true, gitUrl: true, deployKeyPrivateEnc: true },
  });
  if (!project) throw new AppError("not_found", "No such project");
  const file = knownHostsFile();
  await ensureKnownHosts(
    file,
    GITHUB_SSH_HOST_KEYS.map((key) => ({ host: GITHUB_SSH_HOST, key })),
  );
  const url = cloneUrlOf(project);
  return {
    url,
    sshKey: project.deployKeyPrivateEnc ? unseal(project.deployKeyPrivateEnc) : null,
    knownHostsFile: file,
    local: url.startsWith("/") || url.startsWith("file:"),
  };
}

/**
 * How a checkout's submodules on GitHub are fetched when the project has a GitHub connection:
 * over HTTPS with its token, or a fresh installation token of the App (an hour's life, never
 * stored), because GitHub refuses the one deploy key on a second repository. An App's token
 * reaches the repositories the installation was given; a token, what its owner can read. Null
 * without a connection: the deploy key is tried on each submodule, as before.
 */
export async function submoduleCredentials(
  projectId: string,
): Promise<{ env: Record<string, string>; secrets: string[] } | null> {
  const project = await prisma().project.findUnique({
    where: { id: projectId },
    select: { githubAuthKind: true, githubTokenEnc: true, githubInstallationId: true },
  });
  if (!project?.githubAuthKind) return null;
  const apiUrl = config().GITHUB_API_URL;
  const token = await gitPushToken(authOf(project), apiUrl);
  return gitSubmoduleTokenEnv(apiUrl, gitHost(apiUrl), token);
}

/**
 * Where a fork's pull request is fetched from: the same repository (GitHub keeps the head
 * under refs/pull/N/head), anonymously over HTTPS, never with the deploy key: the fork's
 * `.gitmodules` is a stranger's, and the key could reach the owner's other private
 * repositories. A private repository's forks therefore cannot be previewed this way.
 */
export async function forkCloneSource(
  projectId: string,
  number: number,
): Promise<CloneSource & { ref: string }> {
  const project = await prisma().project.findUnique({
    where: { id: projectId },
    select: { githubOwner: true, githubRepo: true, gitUrl: true },
  });
  if (!project) throw new AppError("not_found", "No such project");
  const url = project.gitUrl ?? `https://${gitHost()}/${project.githubOwner}/${project.githubRepo}.git`;
  return {
    url,
    sshKey: null,
    knownHostsFile: knownHostsFile(),
    local: url.startsWith("/") || url.startsWith("file:"),
    ref: `refs/pull/${number}/head`,
  };
}
