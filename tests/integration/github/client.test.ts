// @gantry/github against the GitHub stand-in: every function, pagination, error mapping.
import { generateKeyPairSync } from "node:crypto";
import { GithubError, generateDeployKeyPair, githubClient } from "@gantry/github";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GithubStandin, startGithubStandin } from "../../support/github-standin";
import { commitFile, type Fixture, git, makeFixture } from "../git/repos";

let gh: GithubStandin;
let fx: Fixture;
beforeAll(async () => {
  gh = await startGithubStandin();
  fx = await makeFixture();
});
afterAll(async () => {
  await gh?.close();
  await fx?.cleanup();
});

const client = () => githubClient({ baseUrl: gh.url, auth: { token: gh.token } });
const sha = (n: number) => n.toString(16).padStart(40, "0");

describe("repositories and branches", () => {
  it("reads a repository with permissions, privacy and default branch", async () => {
    gh.addRepo({ owner: "acme", name: "erp", private: true, defaultBranch: "17.0", access: "write" });
    const repo = await client().getRepository("acme", "erp");
    expect(repo).toMatchObject({
      owner: "acme",
      name: "erp",
      fullName: "acme/erp",
      private: true,
      defaultBranch: "17.0",
      permissions: { admin: false, push: true, pull: true },
    });
    const request = gh.requests.at(-1)!;
    expect(request).toMatchObject({ method: "GET", path: "/repos/acme/erp", status: 200 });
    expect(request.headers.authorization).toBe(`token ${gh.token}`);
  });

  it("maps 401 (no or bad token) and 404 (unknown repository) to typed errors", async () => {
    const bad = githubClient({ baseUrl: gh.url, auth: { token: "ghp_wrong" } });
    await expect(bad.getRepository("acme", "erp")).rejects.toMatchObject({
      code: "unauthorized",
      status: 401,
    });
    await expect(client().getRepository("acme", "nope")).rejects.toMatchObject({
      code: "not_found",
      status: 404,
    });
    const anonymous = await fetch(`${gh.url}/repos/acme/erp`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ message: "Requires authentication" });
  });

  it("lists every branch across pages, following Link headers", async () => {
    const branches = Array.from({ length: 250 }, (_, i) => ({
      name: `b-${String(i).padStart(3, "0")}`,
      sha: sha(i + 1),
    }));
    gh.addRepo({ owner: "acme", name: "many", branches });
    const before = gh.requests.length;
    const listed = await client().listBranches("acme", "many");
    expect(listed).toHaveLength(250);
    expect(listed[249]).toEqual({ name: "b-249", sha: sha(250), protected: false });
    const pages = gh.requests.slice(before);
    expect(pages.map((r) => r.path)).toEqual([
      "/repos/acme/many/branches?per_page=100",
      "/repos/acme/many/branches?per_page=100&page=2",
      "/repos/acme/many/branches?per_page=100&page=3",
    ]);
  });

  it("reads branches from a real bare repository, including ones pushed later", async () => {
    gh.addRepo({ owner: "acme", name: "live", gitDir: fx.bare });
    const main = await git(fx.bare, "rev-parse", "refs/heads/main");
    expect(await client().listBranches("acme", "live")).toEqual([
      { name: "main", sha: main, protected: false },
    ]);

    await git(fx.work, "checkout", "--quiet", "-b", "feature/pushed");
    const tip = await commitFile(fx.work, "f.txt", "f\n", "feature");
    await git(fx.work, "push", "--quiet", "origin", "feature/pushed");
    await git(fx.work, "checkout", "--quiet", "main");

    expect(await client().listBranches("acme", "live")).toContainEqual({
      name: "feature/pushed",
      sha: tip,
      protected: false,
    });
    expect(await client().getBranch("acme", "live", "feature/pushed")).toEqual({
      name: "feature/pushed",
      sha: tip,
      protected: false,
    });
    expect(await client().getBranch("acme", "live", "gone")).toBeNull();
  });
});

describe("webhook upkeep", () => {
  const settings = {
    url: "https://gantry.example/api/github/webhook",
    secret: "s3cret",
    events: ["push", "delete"],
  };

  it("creates the hook once and updates it after", async () => {
    const repo = gh.addRepo({ owner: "acme", name: "hooks" });
    const first = await client().ensureWebhook("acme", "hooks", settings);
    expect(first.created).toBe(true);
    const second = await client().ensureWebhook("acme", "hooks", {
      ...settings,
      events: ["push", "delete", "pull_request"],
    });
    expect(second).toEqual({ id: first.id, created: false });
    expect(repo.hooks).toHaveLength(1);
    expect(repo.hooks[0]).toMatchObject({
      active: true,
      events: ["push", "delete", "pull_request"],
      config: { url: settings.url, content_type: "json", secret: "s3cret" },
    });
    const create = gh.requests.find((r) => r.method === "POST" && r.path === "/repos/acme/hooks/hooks");
    expect(create?.status).toBe(201);
  });

  it("reports no hook, a failed last delivery, missing events and then success", async () => {
    const repo = gh.addRepo({ owner: "acme", name: "checked" });
    const c = client();
    expect(
      (await c.verifyWebhook("acme", "checked", { url: settings.url })).problems.map((p) => p.code),
    ).toEqual(["no_hook"]);

    await c.ensureWebhook("acme", "checked", settings);
    const hook = repo.hooks[0]!;
    gh.addDelivery(hook, { event: "push", statusCode: 502 });
    const failing = await c.verifyWebhook("acme", "checked", {
      url: settings.url,
      events: ["push", "pull_request"],
    });
    expect(failing.ok).toBe(false);
    expect(failing.problems.map((p) => p.code)).toEqual(["missing_events", "last_delivery_failed"]);
    expect(failing.lastDelivery).toMatchObject({ event: "push", statusCode: 502 });

    gh.addDelivery(hook, { event: "push", statusCode: 200 });
    const healthy = await c.verifyWebhook("acme", "checked", { url: settings.url, events: ["push"] });
    expect(healthy).toMatchObject({ ok: true, problems: [], hook: { id: hook.id, active: true } });
  });

  it("reports missing permission without admin (403) and for hidden repositories (404)", async () => {
    gh.addRepo({ owner: "acme", name: "readonly", access: "write" });
    const forbidden = await client().verifyWebhook("acme", "readonly", { url: settings.url });
    expect(forbidden.problems[0]?.code).toBe("no_permission");
    const hidden = await client().verifyWebhook("acme", "invisible", { url: settings.url });
    expect(hidden.problems[0]?.code).toBe("no_permission");
    await expect(client().ensureWebhook("acme", "readonly", settings)).rejects.toMatchObject({
      code: "forbidden",
      status: 403,
    });
  });
});

describe("deploy keys", () => {
  it("adds a read-only key once, replaces a writable one, and verifies", async () => {
    const repo = gh.addRepo({ owner: "acme", name: "keys" });
    const { publicKey } = generateDeployKeyPair("gantry@acme");
    const c = client();
    expect((await c.verifyDeployKey("acme", "keys", publicKey)).problems[0]?.code).toBe("no_key");

    const first = await c.ensureDeployKey("acme", "keys", { title: "Gantry", publicKey });
    expect(first.created).toBe(true);
    expect(await c.ensureDeployKey("acme", "keys", { title: "Gantry", publicKey })).toEqual({
      id: first.id,
      created: false,
    });
    expect(repo.keys).toHaveLength(1);
    expect(repo.keys[0]?.read_only).toBe(true);
    expect(await c.verifyDeployKey("acme", "keys", publicKey)).toEqual({
      ok: true,
      problems: [],
      keyId: first.id,
    });

    repo.keys[0]!.read_only = false;
    expect((await c.verifyDeployKey("acme", "keys", publicKey)).problems[0]?.code).toBe("not_read_only");
    const replaced = await c.ensureDeployKey("acme", "keys", { title: "Gantry", publicKey });
    expect(replaced.created).toBe(true);
    expect(repo.keys).toEqual([expect.objectContaining({ id: replaced.id, read_only: true })]);
  });

  it("maps GitHub's validation failure to an invalid error", async () => {
    gh.addRepo({ owner: "acme", name: "badkey" });
    const err = await client()
      .ensureDeployKey("acme", "badkey", { title: "x", publicKey: "not a key" })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GithubError);
    expect(err).toMatchObject({ code: "invalid", status: 422 });
    expect((err as Error).message).toMatch(/OpenSSH public key format/);
  });
});

describe("statuses, deployments and merges", () => {
  it("sets commit statuses with Gantry's context", async () => {
    const repo = gh.addRepo({ owner: "acme", name: "status" });
    const result = await client().createCommitStatus("acme", "status", sha(7), {
      state: "pending",
      targetUrl: "https://gantry.example/builds/1",
      description: "x".repeat(300),
      context: "gantry/feature-x",
    });
    expect(result).toMatchObject({ state: "pending", context: "gantry/feature-x" });
    expect(repo.statuses[0]).toMatchObject({ sha: sha(7), target_url: "https://gantry.example/builds/1" });
    expect(repo.statuses[0]?.description?.length).toBe(140);
  });

  it("creates a deployment and its statuses", async () => {
    const repo = gh.addRepo({ owner: "acme", name: "deploy", branches: [{ name: "main", sha: sha(9) }] });
    const c = client();
    const { id } = await c.createDeployment("acme", "deploy", {
      ref: "main",
      environment: "production",
      production: true,
    });
    const status = await c.createDeploymentStatus("acme", "deploy", id, {
      state: "success",
      environmentUrl: "https://main.acme.gantry.example",
      logUrl: "https://gantry.example/builds/2",
    });
    expect(status.state).toBe("success");
    expect(repo.deployments[0]).toMatchObject({
      sha: sha(9),
      environment: "production",
      production_environment: true,
      statuses: [{ state: "success", environment_url: "https://main.acme.gantry.example" }],
    });
    const sent = gh.requests.find((r) => r.path === "/repos/acme/deploy/deployments")?.body;
    expect(sent).toMatchObject({ auto_merge: false, required_contexts: [] });
    await expect(
      c.createDeployment("acme", "deploy", { ref: "nope", environment: "x" }),
    ).rejects.toMatchObject({
      code: "invalid",
    });
  });

  it("merges for real in git, reports up to date, conflicts and missing branches as results", async () => {
    gh.addRepo({ owner: "acme", name: "merge", gitDir: fx.bare });
    const c = client();
    await git(fx.work, "checkout", "--quiet", "-b", "staging", "main");
    await commitFile(fx.work, "staging.txt", "s\n", "staging work");
    await git(fx.work, "push", "--quiet", "origin", "staging");

    const merged = await c.mergeBranch("acme", "merge", "main", "staging", "Merge staging");
    expect(merged.kind).toBe("merged");
    const mainTip = await git(fx.bare, "rev-parse", "refs/heads/main");
    expect(merged).toEqual({ kind: "merged", sha: mainTip });
    expect(await git(fx.bare, "show", "-s", "--format=%P", mainTip)).toContain(
      await git(fx.bare, "rev-parse", "refs/heads/staging"),
    );
    expect(await c.mergeBranch("acme", "merge", "main", "staging")).toEqual({ kind: "up_to_date" });

    // Both sides change the same line: a real conflict.
    await git(fx.work, "fetch", "--quiet", "origin");
    await git(fx.work, "checkout", "--quiet", "-B", "left", "origin/main");
    await commitFile(fx.work, "README.md", "left\n", "left");
    await git(fx.work, "push", "--quiet", "origin", "left");
    await git(fx.work, "checkout", "--quiet", "-B", "right", "origin/main");
    await commitFile(fx.work, "README.md", "right\n", "right");
    await git(fx.work, "push", "--quiet", "origin", "right");
    await git(fx.work, "checkout", "--quiet", "main");
    const leftBefore = await git(fx.bare, "rev-parse", "refs/heads/left");
    expect(await c.mergeBranch("acme", "merge", "left", "right")).toMatchObject({ kind: "conflict" });
    expect(await git(fx.bare, "rev-parse", "refs/heads/left")).toBe(leftBefore);
    expect(gh.requests.at(-1)?.status).toBe(409);

    expect(await c.mergeBranch("acme", "merge", "main", "no-such")).toMatchObject({ kind: "missing" });
  });

  it("reports a seeded conflict on repositories without git", async () => {
    gh.addRepo({ owner: "acme", name: "seeded", mergeConflict: true });
    expect(await client().mergeBranch("acme", "seeded", "main", "dev")).toMatchObject({ kind: "conflict" });
  });
});

describe("GitHub App installations", () => {
  it("exchanges the app's JWT for an installation token and uses it", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    gh.addApp({
      id: 4242,
      publicKey: publicKey.export({ type: "spki", format: "pem" }).toString(),
      installations: [77],
    });
    gh.addRepo({ owner: "acme", name: "app-repo" });
    const pem = privateKey.export({ type: "pkcs1", format: "pem" }).toString();
    const app = githubClient({ baseUrl: gh.url, auth: { appId: 4242, privateKey: pem, installationId: 77 } });
    expect((await app.getRepository("acme", "app-repo")).fullName).toBe("acme/app-repo");
    const exchange = gh.requests.find((r) => r.path === "/app/installations/77/access_tokens");
    expect(exchange?.status).toBe(201);
    expect(gh.requests.at(-1)?.headers.authorization).toMatch(/^token ghs_/);

    const wrongInstallation = githubClient({
      baseUrl: gh.url,
      auth: { appId: 4242, privateKey: pem, installationId: 78 },
    });
    await expect(wrongInstallation.getRepository("acme", "app-repo")).rejects.toBeInstanceOf(GithubError);
    const other = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({
      type: "pkcs1",
      format: "pem",
    });
    const forged = githubClient({
      baseUrl: gh.url,
      auth: { appId: 4242, privateKey: other.toString(), installationId: 77 },
    });
    await expect(forged.getRepository("acme", "app-repo")).rejects.toMatchObject({ code: "unauthorized" });
  });
});
