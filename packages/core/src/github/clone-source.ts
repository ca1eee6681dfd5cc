// How the build job fetches a project's code: over SSH with the project's read-only deploy key,
// which GitHub also accepts for private submodules of the same owner when the key is added there.
import { config } from "@gantry/config";
import { prisma } from "@gantry/db";
import { AppError } from "../errors";
import { unseal } from "./client";

export interface CloneSource {
  /** git@HOST:owner/repo.git */
  url: string;
  /** The private key in OpenSSH format; pass it to @gantry/git as `sshKey`, never log it. */
  sshKey: string | null;
}

/** The SSH host of the configured GitHub: github.com, or the Enterprise server's host. */
export function gitHost(apiUrl = config().GITHUB_API_URL): string {
  const host = new URL(apiUrl).hostname;
  return host === "api.github.com" ? "github.com" : host;
}

export async function cloneSource(projectId: string): Promise<CloneSource> {
  const project = await prisma().project.findUnique({
    where: { id: projectId },
    select: { githubOwner: true, githubRepo: true, deployKeyPrivateEnc: true },
  });
  if (!project) throw new AppError("not_found", "No such project");
  return {
    url: `git@${gitHost()}:${project.githubOwner}/${project.githubRepo}.git`,
    sshKey: project.deployKeyPrivateEnc ? unseal(project.deployKeyPrivateEnc) : null,
  };
}
