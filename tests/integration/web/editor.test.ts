// The Editor's API over a real checkout (the fixture repository cloned the way a build clones
// it) and a real bare repository to push to: paths confined to the checkout (`..`, absolute
// paths, `.git`, a committed symlink pointing out of it, a folder that is a link), binary and
// oversized files never edited, production read-only, the Shell right required, and a commit
// pushed to the branch under the signed-in person's name, which queues the branch's build.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { resetConfigForTests } from "@gantry/config";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScratchDatabase } from "../../support/databases";
import { type GithubStandin, startGithubStandin } from "../../support/github-standin";
import { makeFixtureRepos } from "../github-flow/fixture-repos";
import { dashboard, type Person, signedInPerson, usePrivateQueues, useWebDatabase } from "./signed-in";

const run = promisify(execFile);

let db: ScratchDatabase;
let dataDir: string;
let reposDir: string;
let bareRepo: string;
let secretFile: string;
let ada: Person;
let bob: Person;
let projectId: string;
let gh: GithubStandin;
/** A project connected to the GitHub stand-in with a token, cloning nothing local. */
let githubProjectId: string;
let githubBuild: string;
const builds: Record<"dev" | "staging" | "prod", string> = { dev: "", staging: "", prod: "" };
let routes: {
  tree: typeof import("../../../apps/web/app/api/v1/builds/[buildId]/editor/tree/route");
  file: typeof import("../../../apps/web/app/api/v1/builds/[buildId]/editor/file/route");
  changes: typeof import("../../../apps/web/app/api/v1/builds/[buildId]/editor/changes/route");
  diff: typeof import("../../../apps/web/app/api/v1/builds/[buildId]/editor/diff/route");
  commit: typeof import("../../../apps/web/app/api/v1/builds/[buildId]/editor/commit/route");
  update: typeof import("../../../apps/web/app/api/v1/builds/[buildId]/editor/update-module/route");
};

async function headOf(ref: string): Promise<string> {
  return (await run("git", ["--git-dir", bareRepo, "rev-parse", ref])).stdout.trim();
}

/** A DONE build of a new branch, its checkout cloned as the build job clones it. */
async function builtBranch(
  name: string,
  stage: "DEVELOPMENT" | "STAGING" | "PRODUCTION",
  project = projectId,
  repo = bareRepo,
): Promise<string> {
  const { prisma } = await import("@gantry/db");
  const { clone } = await import("@gantry/git");
  const sha = (await run("git", ["--git-dir", repo, "rev-parse", "refs/heads/main"])).stdout.trim();
  const branch = await prisma().branch.create({
    data: { projectId: project, name, stage, lastSeenSha: sha },
  });
  if (name !== "main") await run("git", ["--git-dir", repo, "branch", name, "main"]);
  const build = await prisma().build.create({
    data: { projectId: project, branchId: branch.id, stage, commitSha: sha, status: "DONE" },
  });
  await clone({
    url: repo,
    dir: join(dataDir, "builds", build.id, "src"),
    ref: sha,
    allowFileProtocol: true,
  });
  return build.id;
}

function call(
  who: Person,
  method: string,
  path: string,
  body?: unknown,
): { request: Request; params: { params: Promise<{ buildId: string }> } } {
  const url = new URL(`${dashboard}${path}`);
  const buildId = url.pathname.split("/")[4] as string;
  return {
    request: new Request(url, {
      method,
      headers: { cookie: who.cookie, origin: dashboard, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
    params: { params: Promise.resolve({ buildId }) },
  };
}

async function readAs(who: Person, buildId: string, path: string): Promise<Response> {
  const { request, params } = call(
    who,
    "GET",
    `/api/v1/builds/${buildId}/editor/file?path=${encodeURIComponent(path)}`,
  );
  return routes.file.GET(request, params);
}

async function writeAs(who: Person, buildId: string, path: string, content: string): Promise<Response> {
  const { request, params } = call(who, "PUT", `/api/v1/builds/${buildId}/editor/file`, { path, content });
  return routes.file.PUT(request, params);
}

beforeAll(async () => {
  db = await useWebDatabase();
  usePrivateQueues();
  dataDir = await mkdtemp(join(tmpdir(), "gantry-editor-"));
  reposDir = join(dataDir, "repos");
  process.env.GANTRY_DATA_DIR = dataDir;
  gh = await startGithubStandin();
  process.env.GITHUB_API_URL = gh.url;
  resetConfigForTests();
  await makeFixtureRepos(reposDir);
  bareRepo = join(reposDir, "acme17.git");
  const core = await import("@gantry/core");
  const { prisma } = await import("@gantry/db");
  routes = {
    tree: await import("../../../apps/web/app/api/v1/builds/[buildId]/editor/tree/route"),
    file: await import("../../../apps/web/app/api/v1/builds/[buildId]/editor/file/route"),
    changes: await import("../../../apps/web/app/api/v1/builds/[buildId]/editor/changes/route"),
    diff: await import("../../../apps/web/app/api/v1/builds/[buildId]/editor/diff/route"),
    commit: await import("../../../apps/web/app/api/v1/builds/[buildId]/editor/commit/route"),
    update: await import("../../../apps/web/app/api/v1/builds/[buildId]/editor/update-module/route"),
  };
  ada = await signedInPerson("Ada", { isAdmin: true });
  bob = await signedInPerson("Bob");
  const principal = await core.resolvePrincipal(new Headers({ cookie: ada.cookie }));
  projectId = (await core.createProject(principal!, { name: "Editor", repository: "acme/editor" })).id;
  await prisma().project.update({ where: { id: projectId }, data: { gitUrl: bareRepo } });
  await prisma().collaborator.create({ data: { projectId, userId: bob.id, role: "USER" } });
  builds.dev = await builtBranch("main", "DEVELOPMENT");
  builds.staging = await builtBranch("staging", "STAGING");
  builds.prod = await builtBranch("production", "PRODUCTION");
  secretFile = join(dataDir, "host-secret.txt");
  await writeFile(secretFile, "the host's secret\n");

  gh.addRepo({
    owner: "acme",
    name: "connected",
    gitDir: join(reposDir, "acme16.git"),
    defaultBranch: "main",
  });
  githubProjectId = (
    await core.createProject(principal!, { name: "Connected", repository: "acme/connected" })
  ).id;
  await core.connectGithub(principal!, githubProjectId, { kind: "token", token: gh.token });
  githubBuild = await builtBranch("main", "DEVELOPMENT", githubProjectId, join(reposDir, "acme16.git"));
}, 180_000);

afterAll(async () => {
  await (await import("@gantry/queue")).closeDefaultQueueContext();
  await (await import("@gantry/db")).prisma().$disconnect();
  await db?.drop();
  await gh?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe("the checkout's files", () => {
  it("lists the tree without .git and reads a file", async () => {
    const { request, params } = call(ada, "GET", `/api/v1/builds/${builds.dev}/editor/tree`);
    const answer = await routes.tree.GET(request, params);
    expect(answer.status).toBe(200);
    const tree = (await answer.json()) as { writable: boolean; entries: { path: string; type: string }[] };
    expect(tree.writable).toBe(true);
    expect(tree.entries).toContainEqual(expect.objectContaining({ path: "acme_base", type: "dir" }));
    expect(tree.entries).toContainEqual(
      expect.objectContaining({ path: "acme_base/__manifest__.py", type: "file" }),
    );
    expect(tree.entries.some((e) => e.path === ".git" || e.path.startsWith(".git/"))).toBe(false);

    const read = await readAs(ada, builds.dev, "acme_base/__manifest__.py");
    expect(read.status).toBe(200);
    expect(((await read.json()) as { content: string }).content).toContain("'name': 'ACME Base'");
  });

  it("confines paths to the checkout: .., absolute paths, .git and links out of it", async () => {
    const src = join(dataDir, "builds", builds.dev, "src");
    await symlink(secretFile, join(src, "acme_base", "leak.py"));
    await symlink(dataDir, join(src, "outside"));
    for (const path of [
      "../../../host-secret.txt",
      "acme_base/../../../../host-secret.txt",
      secretFile,
      "/etc/passwd",
      ".git/config",
      "acme_base/leak.py",
      "outside/host-secret.txt",
    ]) {
      const read = await readAs(ada, builds.dev, path);
      expect([400, 403], `${path}: ${read.status}`).toContain(read.status);
      expect(await read.text()).not.toContain("the host's secret");
      const written = await writeAs(ada, builds.dev, path, "overwritten\n");
      expect([400, 403], `${path}: ${written.status}`).toContain(written.status);
    }
    expect(await readFile(secretFile, "utf8")).toBe("the host's secret\n");
    expect(await readFile(join(src, ".git", "config"), "utf8")).not.toContain("overwritten");
    await rm(join(src, "acme_base", "leak.py"));
    await rm(join(src, "outside"));
  });

  it("refuses to edit a binary file and a file over the size cap", async () => {
    const src = join(dataDir, "builds", builds.dev, "src");
    await writeFile(join(src, "acme_base", "logo.png"), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]));
    const read = await readAs(ada, builds.dev, "acme_base/logo.png");
    expect(await read.json()).toMatchObject({ binary: true, content: null });
    expect((await writeAs(ada, builds.dev, "acme_base/logo.png", "text now\n")).status).toBe(403);
    expect((await readFile(join(src, "acme_base", "logo.png")))[4]).toBe(0);
    expect((await writeAs(ada, builds.dev, "acme_base/big.txt", "x".repeat(1024 * 1024 + 1))).status).toBe(
      413,
    );
    await rm(join(src, "acme_base", "logo.png"));
  });

  it("keeps production read-only and refuses a role without the Shell right", async () => {
    expect((await readAs(ada, builds.prod, "acme_base/__manifest__.py")).status).toBe(200);
    const refused = await writeAs(ada, builds.prod, "acme_base/__init__.py", "# changed\n");
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/read-only/);

    // A User has no shell on staging (nor production): no editor either.
    expect((await readAs(bob, builds.staging, "acme_base/__manifest__.py")).status).toBe(403);
    expect((await writeAs(bob, builds.staging, "acme_base/__init__.py", "# bob\n")).status).toBe(403);
    const { request, params } = call(bob, "GET", `/api/v1/builds/${builds.staging}/editor/tree`);
    expect((await routes.tree.GET(request, params)).status).toBe(403);
    // On development every role has the shell, so the editor too.
    expect((await readAs(bob, builds.dev, "acme_base/__manifest__.py")).status).toBe(200);
  });
});

describe("update module", () => {
  it("is refused on production, to a role without the shell, for a bad name, and on a build that does not serve", async () => {
    const ask = async (who: Person, buildId: string, module: string) => {
      const { request, params } = call(who, "POST", `/api/v1/builds/${buildId}/editor/update-module`, {
        module,
      });
      return routes.update.POST(request, params);
    };
    expect((await ask(ada, builds.prod, "acme_base")).status).toBe(403);
    expect((await ask(bob, builds.staging, "acme_base")).status).toBe(403);
    expect((await ask(ada, builds.dev, "acme_base; rm -rf /")).status).toBe(400);
    // These builds' rows never served: there is no container to update in.
    const refused = await ask(ada, builds.dev, "acme_base");
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(
      /does not serve/,
    );
  });
});

describe("changes, commit and push", () => {
  it("shows the diff against the build's commit, then commits and pushes as the signed-in user", async () => {
    const { prisma } = await import("@gantry/db");
    const before = await headOf("refs/heads/main");
    const saved = await writeAs(ada, builds.dev, "acme_base/__init__.py", "# edited in the browser\n");
    expect(saved.status, await saved.clone().text()).toBe(200);
    expect((await writeAs(ada, builds.dev, "acme_base/NOTES.md", "new file\n")).status).toBe(200);

    let { request, params } = call(ada, "GET", `/api/v1/builds/${builds.dev}/editor/changes`);
    const changes = (await (await routes.changes.GET(request, params)).json()) as {
      changes: { path: string; kind: string }[];
    };
    expect(changes.changes).toEqual([
      { path: "acme_base/NOTES.md", kind: "added" },
      { path: "acme_base/__init__.py", kind: "modified" },
    ]);
    ({ request, params } = call(
      ada,
      "GET",
      `/api/v1/builds/${builds.dev}/editor/diff?path=${encodeURIComponent("acme_base/__init__.py")}`,
    ));
    const diff = (await (await routes.diff.GET(request, params)).json()) as {
      original: string;
      current: string;
    };
    expect(diff.current).toBe("# edited in the browser\n");
    expect(diff.original).not.toBe(diff.current);

    // Production's checkout commits nothing.
    ({ request, params } = call(ada, "POST", `/api/v1/builds/${builds.prod}/editor/commit`, {
      message: "nope",
    }));
    expect((await routes.commit.POST(request, params)).status).toBe(403);

    ({ request, params } = call(ada, "POST", `/api/v1/builds/${builds.dev}/editor/commit`, {
      message: "Edit acme_base from the editor",
    }));
    const committed = await routes.commit.POST(request, params);
    expect(committed.status, await committed.clone().text()).toBe(201);
    const answer = (await committed.json()) as { sha: string; branch: string; buildId: string | null };
    expect(answer.branch).toBe("main");

    const head = await headOf("refs/heads/main");
    expect(head).toBe(answer.sha);
    const { stdout } = await run("git", [
      "--git-dir",
      bareRepo,
      "log",
      "-1",
      "--format=%an|%ae|%cn|%s|%P",
      "main",
    ]);
    expect(stdout.trim()).toBe(`Ada|ada@example.com|Ada|Edit acme_base from the editor|${before}`);
    const pushed = await run("git", ["--git-dir", bareRepo, "show", `${head}:acme_base/__init__.py`]);
    expect(pushed.stdout).toBe("# edited in the browser\n");

    // The push builds the branch, as GitHub's push delivery would.
    expect(answer.buildId).not.toBeNull();
    const queued = await prisma().build.findUniqueOrThrow({ where: { id: answer.buildId! } });
    expect(queued).toMatchObject({ commitSha: head, status: "QUEUED", commitAuthor: "Ada" });

    // Nothing left to commit.
    ({ request, params } = call(ada, "POST", `/api/v1/builds/${builds.dev}/editor/commit`, {
      message: "again",
    }));
    expect((await routes.commit.POST(request, params)).status).toBe(409);
  });

  it("refuses a push over a branch that moved on, and keeps the change uncommitted", async () => {
    const src = join(dataDir, "builds", builds.staging, "src");
    // Someone else pushed to staging since its build.
    const other = await mkdtemp(join(tmpdir(), "gantry-editor-other-"));
    try {
      await run("git", ["clone", "-q", "--branch", "staging", bareRepo, other]);
      await writeFile(join(other, "README.md"), "moved on\n");
      const id = ["-c", "user.name=Other", "-c", "user.email=other@example.com"];
      await run("git", [...id, "-C", other, "commit", "-qam", "elsewhere"]);
      await run("git", ["-C", other, "push", "-q", "origin", "staging"]);
    } finally {
      await rm(other, { recursive: true, force: true });
    }
    const moved = await headOf("refs/heads/staging");
    expect((await writeAs(ada, builds.staging, "acme_base/__init__.py", "# staging edit\n")).status).toBe(
      200,
    );
    const { request, params } = call(ada, "POST", `/api/v1/builds/${builds.staging}/editor/commit`, {
      message: "too late",
    });
    const refused = await routes.commit.POST(request, params);
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/moved on/);
    expect(await headOf("refs/heads/staging")).toBe(moved);
    const status = await run("git", ["-C", src, "status", "--porcelain"]);
    expect(status.stdout).toContain("acme_base/__init__.py");
  });
});

describe("a project connected to GitHub", () => {
  it("pushes over HTTPS with the connection's token, never with the read-only deploy key", async () => {
    const { prisma } = await import("@gantry/db");
    const repo = join(reposDir, "acme16.git");
    expect((await writeAs(ada, githubBuild, "README.md", "pushed with a token\n")).status).toBe(200);

    // A token GitHub no longer accepts: the push is refused and the change stays uncommitted.
    gh.state.tokens.delete(gh.token);
    let { request, params } = call(ada, "POST", `/api/v1/builds/${githubBuild}/editor/commit`, {
      message: "With a revoked token",
    });
    const refused = await routes.commit.POST(request, params);
    expect(refused.status).toBe(503);
    expect(await refused.text()).not.toContain(gh.token);
    const src = join(dataDir, "builds", githubBuild, "src");
    expect((await run("git", ["-C", src, "status", "--porcelain"])).stdout).toContain("README.md");

    gh.addToken(gh.token);
    ({ request, params } = call(ada, "POST", `/api/v1/builds/${githubBuild}/editor/commit`, {
      message: "With the connection's token",
    }));
    const committed = await routes.commit.POST(request, params);
    expect(committed.status, await committed.clone().text()).toBe(201);
    const { sha } = (await committed.json()) as { sha: string };
    const { stdout } = await run("git", ["--git-dir", repo, "log", "-1", "--format=%H|%an|%ae|%s", "main"]);
    expect(stdout.trim()).toBe(`${sha}|Ada|ada@example.com|With the connection's token`);
    const build = await prisma().build.findFirst({ where: { projectId: githubProjectId, commitSha: sha } });
    expect(build?.status).toBe("QUEUED");
  });
});
