// Where the editor pushes a build's branch, and with what. The deploy key Gantry clones with is
// read-only, so a push goes over HTTPS with the project's GitHub connection (its token, or an
// installation token of the App). A repository the administrator set as a local path (mirrors,
// tests) is pushed to directly.
import { config } from "@gantry/config";
import { prisma } from "@gantry/db";
import { gitPushToken, gitTokenEnv, httpsRepositoryUrl } from "@gantry/github";
import { AppError } from "../errors";
import { authOf } from "../github/client";

export interface PushTarget {
  url: string;
  env: Record<string, string>;
  secrets: string[];
  allowFileProtocol: boolean;
}

export async function pushTarget(projectId: string): Promise<PushTarget> {
  const project = await prisma().project.findUnique({
    where: { id: projectId },
    select: {
      githubOwner: true,
      githubRepo: true,
      gitUrl: true,
      githubAuthKind: true,
      githubTokenEnc: true,
      githubInstallationId: true,
    },
  });
  if (!project) throw new AppError("not_found", "No such project");
  if (project.gitUrl && (project.gitUrl.startsWith("/") || project.gitUrl.startsWith("file:"))) {
    return { url: project.gitUrl, env: {}, secrets: [], allowFileProtocol: true };
  }
  if (project.gitUrl) {
    throw new AppError("conflict", "the project clones from its own git URL: Gantry cannot push there");
  }
  const apiUrl = config().GITHUB_API_URL;
  const token = await gitPushToken(authOf(project), apiUrl);
  const { env, secrets } = gitTokenEnv(token);
  return {
    url: httpsRepositoryUrl(apiUrl, project.githubOwner, project.githubRepo),
    env,
    secrets,
    allowFileProtocol: false,
  };
}
