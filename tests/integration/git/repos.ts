// Real local repositories for the git suites: bare remotes, a working copy, a submodule.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runGit } from "@gantry/git";

const IDENTITY = {
  GIT_AUTHOR_NAME: "Ada Lovelace",
  GIT_AUTHOR_EMAIL: "ada@example.com",
  GIT_COMMITTER_NAME: "Ada Lovelace",
  GIT_COMMITTER_EMAIL: "ada@example.com",
};
const FILE_OK = { "protocol.file.allow": "always", "init.defaultBranch": "main" };

export async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await runGit(args, { cwd, env: IDENTITY, config: FILE_OK });
  return stdout.trim();
}

export async function commitFile(
  work: string,
  path: string,
  content: string,
  message: string,
): Promise<string> {
  await writeFile(join(work, path), content);
  await git(work, "add", "--", path);
  await git(work, "commit", "--quiet", "-m", message);
  return git(work, "rev-parse", "HEAD");
}

export interface Fixture {
  root: string;
  /** Bare remote of the project (file:// URL in `url`). */
  bare: string;
  url: string;
  subUrl: string;
  /** Working copy that pushes to `bare`. */
  work: string;
  cleanup(): Promise<void>;
}

/** A project with a submodule (`addons/sub`) that itself has a nested submodule (`lib`). */
export async function makeFixture(): Promise<Fixture> {
  const root = await mkdtemp(join(tmpdir(), "gantry-git-"));
  const bare = join(root, "project.git");
  const subBare = join(root, "sub.git");
  const libBare = join(root, "lib.git");
  for (const b of [bare, subBare, libBare]) await git(root, "init", "--quiet", "--bare", b);

  const libWork = join(root, "lib-work");
  await git(root, "clone", "--quiet", libBare, libWork);
  await commitFile(libWork, "lib.txt", "lib v1\n", "lib: first");
  await git(libWork, "push", "--quiet", "origin", "HEAD:main");

  const subWork = join(root, "sub-work");
  await git(root, "clone", "--quiet", subBare, subWork);
  await commitFile(subWork, "__manifest__.py", "{'name': 'sub'}\n", "sub: first");
  await git(subWork, "submodule", "--quiet", "add", `file://${libBare}`, "lib");
  await git(subWork, "commit", "--quiet", "-m", "sub: add lib");
  await git(subWork, "push", "--quiet", "origin", "HEAD:main");

  const work = join(root, "work");
  await git(root, "clone", "--quiet", bare, work);
  await commitFile(work, "README.md", "hello\n", "first commit");
  await git(work, "submodule", "--quiet", "add", `file://${subBare}`, "addons/sub");
  await git(work, "commit", "--quiet", "-m", "add submodule");
  await git(work, "push", "--quiet", "origin", "HEAD:main");

  return {
    root,
    bare,
    url: `file://${bare}`,
    subUrl: `file://${subBare}`,
    work,
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}
