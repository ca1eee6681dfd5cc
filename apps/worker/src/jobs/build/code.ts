// Phase "code": the commit (shallow, submodules included, deploy key when there is one) into
// the build's work tree, then addons folders and the modules to install from the manifests.
import { config } from "@gantry/config";
import { clone, headCommit, listSubmodules } from "@gantry/git";
import {
  type AddonsDiscovery,
  discoverAddons,
  type InstallPlan,
  type InstallSetting,
  ModuleGraph,
  planInstall,
} from "@gantry/odoo";
import { decrypt } from "@gantry/secrets";

export const ADDONS_MOUNT = "/mnt/extra-addons";

export interface CodeInput {
  src: string;
  commitSha: string;
  project: {
    githubOwner: string;
    githubRepo: string;
    gitUrl: string | null;
    deployKeyPrivateEnc: string | null;
  };
  setting: InstallSetting;
}

export interface CodeResult {
  sha: string;
  author: string;
  message: string;
  discovery: AddonsDiscovery;
  plan: InstallPlan;
  /** Container paths of the addons folders, in order. */
  addonsPath: string[];
  repositoryModules: string[];
  submoduleModules: string[];
}

export function cloneUrlOf(project: CodeInput["project"]): string {
  return project.gitUrl ?? `git@github.com:${project.githubOwner}/${project.githubRepo}.git`;
}

export async function fetchCode(input: CodeInput): Promise<CodeResult> {
  const url = cloneUrlOf(input.project);
  const secret = config().GANTRY_SECRET;
  const sshKey =
    input.project.deployKeyPrivateEnc && secret
      ? decrypt(input.project.deployKeyPrivateEnc, secret)
      : undefined;
  // Local repositories (a path or file://) are only ever configured by the administrator.
  const local = url.startsWith("/") || url.startsWith("file:");
  const { sha } = await clone({
    url,
    dir: input.src,
    ref: input.commitSha,
    allowFileProtocol: local,
    ...(sshKey ? { sshKey } : {}),
    timeoutMs: 10 * 60 * 1000,
  });
  const commit = await headCommit(input.src);
  const submodules = await listSubmodules(input.src);
  const discovery = await discoverAddons(input.src, { submodules });
  if (discovery.errors.length > 0) {
    throw new Error(
      `unreadable manifests: ${discovery.errors.map((e) => `${e.path}: ${e.error}`).join("; ")}`,
    );
  }
  const graph = ModuleGraph.fromDiscovery(discovery.modules);
  const plan = planInstall(graph, input.setting);
  return {
    sha,
    author: commit.author.name,
    message: commit.message.split("\n")[0] ?? "",
    discovery,
    plan,
    addonsPath: discovery.addonsDirs.map((dir) =>
      dir.path === "" ? ADDONS_MOUNT : `${ADDONS_MOUNT}/${dir.path}`,
    ),
    repositoryModules: discovery.modules.filter((m) => !m.fromSubmodule).map((m) => m.name),
    submoduleModules: discovery.modules.filter((m) => m.fromSubmodule).map((m) => m.name),
  };
}
