// Private submodules from other repositories, which one deploy key cannot reach (GitHub refuses
// a key on a second repository): fetched over GitHub's smart HTTP (the stand-in's) with the
// installation token of the project's GitHub App, whether .gitmodules names them by SSH
// address or by HTTPS. The token is kept out of the checkout's configuration, never sent to a
// host other than GitHub's, and a project without a connection gets no token.
import { execFile } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { resetConfigForTests } from "@gantry/config";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GithubStandin, startGithubStandin } from "../../support/github-standin";
import { type BuildTestEnv, useBuildTestEnv } from "./support";

const run = promisify(execFile);
const INSTALLATION = 4242;
let env: BuildTestEnv;
let gh: GithubStandin;
let work: string;
let prisma: typeof import("@gantry/db").prisma;
/** Another host, recording what it is sent: a .gitmodules may name any. */
let elsewhere: Server;
const seenElsewhere: Record<string, string | string[] | undefined>[] = [];
const saved = {
  GITHUB_API_URL: process.env.GITHUB_API_URL,
  GITHUB_APP_ID: process.env.GITHUB_APP_ID,
  GITHUB_APP_PRIVATE_KEY: process.env.GITHUB_APP_PRIVATE_KEY,
};

const git = (cwd: string, ...args: string[]) =>
  run("git", ["-c", "user.name=Dev", "-c", "user.email=dev@example.com", ...args], { cwd }).then((r) =>
    r.stdout.trim(),
  );

/** A bare repository with one Odoo module, served by the stand-in as acme/<name>. */
async function privateAddons(name: string, module: string): Promise<string> {
  const tree = join(work, `${name}-tree`);
  await mkdir(join(tree, module), { recursive: true });
  await writeFile(join(tree, module, "__init__.py"), "");
  await writeFile(join(tree, module, "__manifest__.py"), `{"name": "${module}", "version": "17.0.1.0.0"}\n`);
  await git(work, "init", "--quiet", "--initial-branch=main", tree);
  await git(tree, "add", ".");
  await git(tree, "commit", "--quiet", "-m", "module");
  const bare = join(work, `${name}.git`);
  await git(work, "clone", "--quiet", "--bare", tree, bare);
  gh.addRepo({ owner: "acme", name, private: true, gitDir: bare });
  return git(tree, "rev-parse", "HEAD");
}

/** The project's own repository (a local one) with one submodule at `url`, pinned to `sha`. */
async function superproject(name: string, url: string, sha: string): Promise<{ path: string; sha: string }> {
  const tree = join(work, `${name}-tree`);
  await git(work, "init", "--quiet", "--initial-branch=main", tree);
  await writeFile(join(tree, ".gitmodules"), `[submodule "vendor"]\n\tpath = vendor\n\turl = ${url}\n`);
  await git(tree, "update-index", "--add", "--cacheinfo", `160000,${sha},vendor`);
  await git(tree, "add", ".gitmodules");
  await git(tree, "commit", "--quiet", "-m", "vendor");
  const bare = join(work, `${name}.git`);
  await git(work, "clone", "--quiet", "--bare", tree, bare);
  return { path: bare, sha: await git(tree, "rev-parse", "HEAD") };
}

async function project(repo: string, connected: boolean): Promise<{ id: string }> {
  const slug = `sub-${randomBytes(4).toString("hex")}`;
  return prisma().project.create({
    data: {
      slug,
      name: "Submodules",
      githubOwner: "acme",
      githubRepo: slug,
      odooSeries: "17.0",
      gitUrl: repo,
      ...(connected ? { githubAuthKind: "APP", githubInstallationId: BigInt(INSTALLATION) } : {}),
    },
  });
}

async function fetchCode(repo: { path: string; sha: string }, projectId: string, dir: string) {
  const { fetchCode: fetch } = await import("../../../apps/worker/src/shared/code");
  return fetch({
    src: join(work, dir),
    commitSha: repo.sha,
    project: { id: projectId },
    setting: { mode: "mine" },
  });
}

beforeAll(async () => {
  env = await useBuildTestEnv();
  work = await mkdtemp(join(tmpdir(), "gantry-submodules-"));
  gh = await startGithubStandin();
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  gh.addApp({
    id: 6161,
    publicKey: publicKey.export({ type: "spki", format: "pem" }).toString(),
    installations: [INSTALLATION],
  });
  process.env.GITHUB_API_URL = gh.url;
  process.env.GITHUB_APP_ID = "6161";
  process.env.GITHUB_APP_PRIVATE_KEY = privateKey
    .export({ type: "pkcs1", format: "pem" })
    .toString()
    .replace(/\n/g, "\\n");
  resetConfigForTests();
  prisma = (await import("@gantry/db")).prisma;
  elsewhere = createServer((req, res) => {
    seenElsewhere.push(req.headers);
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => elsewhere.listen(0, "127.0.0.1", resolve));
}, 120_000);

afterAll(async () => {
  await new Promise((resolve) => elsewhere?.close(resolve));
  await gh?.close();
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  resetConfigForTests();
  await prisma?.().$disconnect();
  await env?.db.drop();
});

describe("private submodules with the GitHub App's installation token", () => {
  it("fetches a submodule named by SSH address over HTTPS with the token, and keeps no trace of it", async () => {
    const sha = await privateAddons("private-addons", "private_mod");
    const host = new URL(gh.url).hostname;
    const repo = await superproject("by-ssh", `git@${host}:acme/private-addons.git`, sha);
    const code = await fetchCode(repo, (await project(repo.path, true)).id, "by-ssh");
    // The stand-in serves git only to a token it issued: the module came with the App's.
    expect(code.submoduleModules).toEqual(["private_mod"]);

    // Nothing of the token in the checkout: the submodule keeps the address .gitmodules gave it.
    const configs = await Promise.all(
      [".git/config", ".git/modules/vendor/config"].map((f) => readFile(join(work, "by-ssh", f), "utf8")),
    );
    expect(configs.join("\n")).not.toMatch(/ghs_|authorization|insteadof/i);
    expect(configs[1]).toContain(`git@${host}:acme/private-addons.git`);
  });

  it("fetches one named by HTTPS address too", async () => {
    const sha = await privateAddons("more-addons", "more_mod");
    const repo = await superproject("by-https", `${gh.url}/acme/more-addons.git`, sha);
    const code = await fetchCode(repo, (await project(repo.path, true)).id, "by-https");
    expect(code.submoduleModules).toEqual(["more_mod"]);
  });

  it("fails without a connection: GitHub asks for credentials that the build does not have", async () => {
    const sha = await privateAddons("closed-addons", "closed_mod");
    const repo = await superproject("unconnected", `${gh.url}/acme/closed-addons.git`, sha);
    await expect(fetchCode(repo, (await project(repo.path, false)).id, "unconnected")).rejects.toThrow(
      /submodule|vendor/i,
    );
  });

  it("never sends the token to another host a .gitmodules names", async () => {
    const port = (elsewhere.address() as AddressInfo).port;
    const repo = await superproject(
      "hostile",
      `http://127.0.0.1:${port}/acme/private-addons.git`,
      "a".repeat(40),
    );
    await expect(fetchCode(repo, (await project(repo.path, true)).id, "hostile")).rejects.toThrow();
    expect(seenElsewhere.length).toBeGreaterThan(0);
    expect(seenElsewhere.every((headers) => headers.authorization === undefined)).toBe(true);
  });
});
