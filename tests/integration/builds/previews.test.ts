// Pull-request previews through a real worker and the GitHub stand-in: a pull request opened
// builds its head and posts the URL once (a pr-N deployment and one comment); a new commit
// rebuilds and edits the same comment; closing removes the builds (containers, database, route)
// and marks the deployments inactive. A fork's pull request is refused while forks are off,
// and once allowed is built from refs/pull/N/head with no egress and nothing of Gantry's
// secrets in its container.
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type GithubStandin,
  pullRequestPayload,
  type StandinRepo,
  startGithubStandin,
  webhookRequest,
} from "../../support/github-standin";
import { type BuildSuite, startBuildSuite } from "./suite";
import { devQuery, shaOf, waitFor } from "./support";

const run = promisify(execFile);
let gh: GithubStandin;
let suite: BuildSuite;
let prisma: typeof import("@gantry/db").prisma;
let core: typeof import("@gantry/core");
let queue: typeof import("@gantry/queue");
let repo: StandinRepo;
let repository: string;
let projectId: string;
const SECRET = "previews-webhook-secret";

async function deliver(event: string, payload: Record<string, unknown>) {
  const delivery = webhookRequest(event, payload, SECRET);
  return core.handleWebhook(delivery.body, new Headers(delivery.headers));
}

function pullRequest(
  action: string,
  number: number,
  head: { ref: string; sha: string; repository?: string },
  merged = false,
) {
  return pullRequestPayload(repository, action, number, head, { merged });
}

async function docker(...args: string[]): Promise<string> {
  return (await run("docker", args)).stdout.trim();
}

/** The environment and networks of a build's serving container. */
async function servingContainer(buildId: string) {
  const build = await prisma().build.findUniqueOrThrow({ where: { id: buildId } });
  const name = build.containerName as string;
  const env = JSON.parse(await docker("inspect", "--format", "{{json .Config.Env}}", name)) as string[];
  const image = JSON.parse(await docker("inspect", "--format", "{{json .Config.Image}}", name)) as string;
  const imageEnv = JSON.parse(await docker("image", "inspect", "--format", "{{json .Config.Env}}", image)) as
    | string[]
    | null;
  const networks = Object.keys(
    JSON.parse(await docker("inspect", "--format", "{{json .NetworkSettings.Networks}}", name)),
  );
  return { env, added: env.filter((e) => !(imageEnv ?? []).includes(e)), networks };
}

async function leftovers(buildId: string) {
  const build = await prisma().build.findUniqueOrThrow({ where: { id: buildId } });
  const containers = await suite.runtime.listManaged({ build: buildId });
  const databases = build.databaseName
    ? await devQuery("SELECT 1 FROM pg_database WHERE datname = $1", [build.databaseName])
    : [];
  return {
    containers: containers.length,
    database: databases.length,
    route: (await core.buildRoute(buildId)) !== null,
  };
}

const comments = (n: number) => repo.comments.filter((c) => c.issue === n);
const deployments = (n: number) => repo.deployments.filter((d) => d.environment === `pr-${n}`);

beforeAll(async () => {
  gh = await startGithubStandin();
  suite = await startBuildSuite({
    queues: ["builds", "maintenance"],
    environment: () => ({ GITHUB_API_URL: gh.url }),
  });
  prisma = (await import("@gantry/db")).prisma;
  core = await import("@gantry/core");
  queue = await import("@gantry/queue");
  const { encrypt } = await import("@gantry/secrets");
  const key = (await import("@gantry/config")).config().GANTRY_SECRET!;
  const project = await suite.project("previews", {
    name: "Previews",
    githubAuthKind: "TOKEN",
    githubTokenEnc: encrypt(gh.token, key),
    webhookSecretEnc: encrypt(SECRET, key),
    // Development builds may reach beyond the host: a fork's preview still must not.
    egressStages: ["PRODUCTION", "DEVELOPMENT"],
  });
  projectId = project.id;
  const row = await prisma().project.findUniqueOrThrow({ where: { id: projectId } });
  repository = `${row.githubOwner}/${row.githubRepo}`;
  repo = gh.addRepo({
    owner: row.githubOwner,
    name: row.githubRepo,
    gitDir: join(suite.env.repos, "acme17.git"),
  });
}, 180_000);

afterAll(async () => {
  await suite?.close();
  await queue?.closeDefaultQueueContext();
  await gh?.close();
}, 180_000);

describe("a pull request of the repository", () => {
  it("is previewed, its URL posted once, rebuilt and the comment edited, then torn down", async () => {
    const bare = join(suite.env.repos, "acme17.git");
    const first = await shaOf(bare, "nobump");
    const opened = await deliver("pull_request", pullRequest("opened", 5, { ref: "nobump", sha: first }));
    expect(opened.body.outcome).toBe("preview_queued");
    const build1 = await suite.ended(opened.builds[0]!.id);
    expect(build1).toMatchObject({ status: "DONE", result: "SUCCESS", trigger: "pull_request" });
    await waitFor("the preview's comment", async () => (comments(5).length === 1 ? true : undefined), 60_000);
    expect(comments(5)[0]!.body).toContain(build1.url!);
    expect(comments(5)[0]!.body).toContain(first.slice(0, 7));
    const deployment1 = deployments(5)[0]!;
    expect(deployment1).toMatchObject({ sha: first, transient_environment: true });
    expect(deployment1.statuses.at(-1)).toMatchObject({ state: "success", environment_url: build1.url });
    // The repository's own development builds may have egress (the project allows it).
    expect((await servingContainer(build1.id)).networks).toEqual([`gantry-${projectId}-out`]);

    // The same commit announced again (a redelivered event, or its push) builds nothing.
    const again = await deliver("pull_request", pullRequest("synchronize", 5, { ref: "nobump", sha: first }));
    expect(again.body.outcome).toBe("preview_recorded");

    const second = await shaOf(bare, "bump");
    const pushed = await deliver(
      "pull_request",
      pullRequest("synchronize", 5, { ref: "nobump", sha: second }),
    );
    expect(pushed.body.outcome).toBe("preview_queued");
    const build2 = await suite.ended(pushed.builds[0]!.id);
    expect(build2).toMatchObject({ status: "DONE", result: "SUCCESS" });
    await waitFor(
      "the comment edited",
      async () => (comments(5)[0]?.body.includes(second.slice(0, 7)) ? true : undefined),
      60_000,
    );
    expect(comments(5)).toHaveLength(1);
    expect(comments(5)[0]!.body).toContain(build2.url!);
    expect(
      gh.requests.filter((r) => r.method === "PATCH" && r.path.includes("/issues/comments/")).length,
    ).toBe(1);
    expect(deployments(5)).toHaveLength(2);

    const listed = await core.listPreviews(
      { userId: "admin", isAdmin: true, memberships: {}, tokenProjectIds: null },
      projectId,
    );
    expect(listed[0]).toMatchObject({ number: 5, open: true, fork: false, branch: { name: "nobump" } });
    expect(listed[0]!.build).toMatchObject({ id: build2.id, status: "DONE" });

    const closed = await deliver(
      "pull_request",
      pullRequest("closed", 5, { ref: "nobump", sha: second }, true),
    );
    expect(closed.body.outcome).toBe("preview_closing");
    for (const id of [build1.id, build2.id]) {
      await waitFor(
        `build ${id} cleaned`,
        async () =>
          (await prisma().build.findUniqueOrThrow({ where: { id } })).cleanedAt ? true : undefined,
        120_000,
      );
      expect(await leftovers(id)).toEqual({ containers: 0, database: 0, route: false });
    }
    await waitFor(
      "the deployments inactive",
      async () => (deployments(5).every((d) => d.statuses.at(-1)?.state === "inactive") ? true : undefined),
      60_000,
    );
    expect(comments(5)).toHaveLength(1);
    expect(comments(5)[0]!.body).toContain("removed");
    const branch = await prisma().branch.findUniqueOrThrow({
      where: { projectId_name: { projectId, name: "nobump" } },
    });
    expect(branch).toMatchObject({ deletedAt: null, pullRequestNumber: null });
  }, 900_000);
});

describe("a pull request from a fork", () => {
  it("is refused while forks are off, then built from refs/pull/N/head without egress or secrets", async () => {
    const bare = join(suite.env.repos, "acme17.git");
    // The fork's commit, as GitHub keeps it in the base repository under refs/pull/9/head.
    const work = await mkdtemp(join(tmpdir(), "gantry-fork-"));
    try {
      await run("git", ["clone", "-q", "--branch", "main", bare, work]);
      await writeFile(join(work, "FORK.md"), "a stranger's change\n");
      const git = (...args: string[]) =>
        run("git", ["-C", work, "-c", "user.name=Stranger", "-c", "user.email=s@example.com", ...args]);
      await git("add", "FORK.md");
      await git("commit", "-q", "-m", "A change from a fork");
      await git("push", "-q", "origin", "HEAD:refs/pull/9/head");
    } finally {
      await rm(work, { recursive: true, force: true });
    }
    const sha = (await run("git", ["--git-dir", bare, "rev-parse", "refs/pull/9/head"])).stdout.trim();
    const head = { ref: "main", sha, repository: "stranger/fork" };

    const refused = await deliver("pull_request", pullRequest("opened", 9, head));
    expect(refused.body.outcome).toBe("preview_refused");
    expect(await prisma().build.count({ where: { commitSha: sha } })).toBe(0);

    await prisma().project.update({ where: { id: projectId }, data: { previewForks: true } });
    const opened = await deliver("pull_request", pullRequest("reopened", 9, head));
    expect(opened.body.outcome).toBe("preview_queued");
    const build = await suite.ended(opened.builds[0]!.id);
    expect(build).toMatchObject({ status: "DONE", result: "SUCCESS" });
    expect((await prisma().branch.findUniqueOrThrow({ where: { id: build.branchId } })).name).toBe("pr-9");

    const container = await servingContainer(build.id);
    // No egress, whatever the project lets its development builds do.
    expect(container.networks).toEqual([`gantry-${projectId}-iso`]);
    // Gantry adds only the build's own database connection to the environment.
    expect(container.added.map((e) => e.split("=")[0]).sort()).toEqual(["HOST", "PASSWORD", "PORT", "USER"]);
    const secrets = [gh.token, SECRET, process.env.GANTRY_SECRET!];
    for (const value of container.env) for (const secret of secrets) expect(value).not.toContain(secret);

    await waitFor(
      "the fork's preview comment",
      async () => (comments(9).length === 1 ? true : undefined),
      60_000,
    );
    expect(deployments(9)[0]!.statuses.at(-1)).toMatchObject({
      state: "success",
      environment_url: build.url,
    });

    const closed = await deliver("pull_request", pullRequest("closed", 9, head));
    expect(closed.body.outcome).toBe("preview_closing");
    await waitFor(
      "the fork's build cleaned",
      async () =>
        (await prisma().build.findUniqueOrThrow({ where: { id: build.id } })).cleanedAt ? true : undefined,
      120_000,
    );
    expect(await leftovers(build.id)).toEqual({ containers: 0, database: 0, route: false });
    // The fork's branch leaves the board.
    expect(
      (await prisma().branch.findUniqueOrThrow({ where: { id: build.branchId } })).deletedAt,
    ).not.toBeNull();
  }, 900_000);
});
