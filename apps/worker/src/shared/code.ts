// Phase "code": the commit (shallow, deploy key when there is one) into the build's work tree,
// its submodules (those on GitHub with the project's GitHub connection), then addons folders
// and the modules to install from the manifests.
import { lstat } from "node:fs/promises";
import { join } from "node:path";
import { type CloneSource, cloneSource, forkCloneSource, submoduleCredentials } from "@gantry/core";
import {
  clone,
  GitError,
  headCommit,
  listSubmodules,
  type SubmoduleOptions,
  sshFailureOf,
  updateSubmodules,
} from "@gantry/git";
import {
  type AddonsDiscovery,
  discoverAddons,
  type InstallPlan,
  type InstallSetting,
  ModuleGraph,
  moduleChecksums,
  planInstall,
} from "@gantry/odoo";

export const ADDONS_MOUNT = "/mnt/extra-addons";

export interface CodeInput {
  src: string;
  commitSha: string;
  project: { id: string };
  setting: InstallSetting;
  /** A fork's pull request: fetched from refs/pull/N/head without the deploy key. */
  fork?: { number: number } | null;
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
  /** Per module of the checkout, the checksum of its files (what a database is updated from). */
  checksums: Record<string, string>;
}

export async function fetchCode(input: CodeInput): Promise<CodeResult> {
  const source: CloneSource & { ref?: string } = input.fork
    ? await forkCloneSource(input.project.id, input.fork.number)
    : await cloneSource(input.project.id);
  let sha: string;
  const options = {
    // Local repositories (a path or file://) are only ever configured by the administrator.
    allowFileProtocol: source.local,
    ...(source.sshKey ? { sshKey: source.sshKey } : {}),
    knownHostsFile: source.knownHostsFile,
    timeoutMs: 10 * 60 * 1000,
  };
  try {
    ({ sha } = await clone({
      ...options,
      url: source.url,
      dir: input.src,
      ref: source.ref ?? input.commitSha,
      submodules: false,
    }));
  } catch (error) {
    throw explainCloneFailure(error, source);
  }
  await fetchSubmodules(input, source, options);
  // The pull request's head moves with its fork: a newer commit is built by its own event.
  if (input.fork && sha !== input.commitSha) {
    throw new Error(`the pull request moved on to ${sha.slice(0, 12)}; its own event builds that commit`);
  }
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
    checksums: await moduleChecksums(input.src, discovery.modules),
  };
}

/**
 * The checkout's submodules: those on GitHub with the project's GitHub connection (its token
 * or the App's), asked for only when there are submodules; a fork's without any credential.
 */
async function fetchSubmodules(input: CodeInput, source: CloneSource, options: SubmoduleOptions) {
  if (!(await hasGitmodules(input.src))) return;
  let credentials: Awaited<ReturnType<typeof submoduleCredentials>> = null;
  if (!input.fork) {
    try {
      credentials = await submoduleCredentials(input.project.id);
    } catch (error) {
      throw new Error(`no GitHub token for the submodules: ${(error as Error).message}`);
    }
  }
  try {
    await updateSubmodules(input.src, {
      ...options,
      ...(credentials ? { env: credentials.env, secrets: credentials.secrets } : {}),
    });
  } catch (error) {
    throw explainCloneFailure(error, source);
  }
}

async function hasGitmodules(dir: string): Promise<boolean> {
  try {
    return (await lstat(join(dir, ".gitmodules"))).isFile();
  } catch {
    return false;
  }
}

/** A refused SSH clone said in words: which key, which host, what to do. */
export function explainCloneFailure(
  error: unknown,
  source: { url: string; sshKey: string | null; knownHostsFile: string },
): Error {
  if (!(error instanceof GitError)) return error as Error;
  const where = source.url;
  switch (sshFailureOf(error.stderr)) {
    case "key_refused":
      return new Error(
        source.sshKey
          ? `${where} refused the project's deploy key: add it (read-only) to the repository, or reconnect the project to GitHub (private submodules on GitHub are fetched with the connection's token)`
          : `${where} asks for a key and the project has no deploy key: connect the project to GitHub first`,
      );
    case "host_key_changed":
      return new Error(
        `the SSH host key of ${where} changed since Gantry first connected; the clone was refused. If the change is expected, remove the host's line from ${source.knownHostsFile}`,
      );
    case "host_unknown":
      return new Error(
        `the SSH host of ${where} could not be verified (known hosts: ${source.knownHostsFile})`,
      );
    case "unreachable":
      return new Error(`${where} cannot be reached: ${error.stderr.split("\n")[0]}`);
    default:
      return error;
  }
}
