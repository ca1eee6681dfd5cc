// A development build watched live: a project whose git URL is a fixture repository on disk, a
// build of `main` queued by the same use-case the webhook calls, and the build page in
// Chromium while the e2e worker really builds it (phases, progress bar, streamed log, green).
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { type APIRequestContext, expect, test } from "@playwright/test";
import pg from "pg";
import { makeFixtureRepos } from "../integration/github-flow/fixture-repos";
import { anonymous, createUser, runId, signedIn, signIn, type TestUser } from "./fixtures/auth";

const run = promisify(execFile);
let reposDir: string;
let admin: TestUser;
let api: APIRequestContext;
let project: { id: string; name: string } | undefined;

test.beforeAll(async () => {
  reposDir = await mkdtemp(join(tmpdir(), "gantry-e2e-build-repos-"));
  await makeFixtureRepos(reposDir);
  const anon = await anonymous();
  admin = await createUser(anon, "Builder", { isAdmin: true });
  await anon.dispose();
  api = await signedIn(admin);
});

test.afterAll(async () => {
  // Deleting the project removes its build containers and databases.
  if (project) {
    await api.delete(`/api/v1/projects/${project.id}`, {
      params: { confirmName: project.name, keepLastBackup: "false" },
    });
  }
  await api?.dispose();
  if (reposDir) await rm(reposDir, { recursive: true, force: true });
});

/** The API has no field for a plain git URL (projects clone from GitHub): set it in the row. */
async function setGitUrl(projectId: string, gitUrl: string) {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    await client.query('UPDATE "Project" SET "gitUrl" = $1 WHERE id = $2', [gitUrl, projectId]);
  } finally {
    await client.end();
  }
}

test("a development build of main: live phases, streamed log, green at the end", async ({
  page,
}, testInfo) => {
  test.setTimeout(240_000);
  const shot = (name: string) =>
    page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
  const name = `Builds ${runId}`;
  const created = await api.post("/api/v1/projects", { data: { name, repository: `acme/builds-${runId}` } });
  expect(created.status(), await created.text()).toBe(201);
  project = (await created.json()) as { id: string; name: string };
  const projectId = project.id;
  const bare = join(reposDir, "acme17.git");
  await setGitUrl(projectId, bare);
  const branchAnswer = await api.post(`/api/v1/projects/${projectId}/branches`, {
    data: { name: "main", stage: "DEVELOPMENT" },
  });
  expect(branchAnswer.status(), await branchAnswer.text()).toBe(201);
  const branch = (await branchAnswer.json()) as { id: string };

  await signIn(page, admin);
  await page.goto(`/projects/${projectId}/builds`);
  await expect(page.getByText("No builds yet: push to a branch.")).toBeVisible();
  await shot("01-no-builds");

  // Queued as a push queues it: the use-case behind the webhook.
  const sha = (await run("git", ["--git-dir", bare, "rev-parse", "refs/heads/main"])).stdout.trim();
  const { enqueueBuild } = await import("@gantry/core");
  const queued = await enqueueBuild({
    projectId,
    branchId: branch.id,
    stage: "DEVELOPMENT",
    commit: { sha, message: "Fixture project", author: "ACME Developer" },
    trigger: "manual",
  });

  await page.goto(`/projects/${projectId}/builds/${queued.id}`);
  const bar = page.getByRole("progressbar", { name: "Build progress" });
  const progress = async () => Number(await bar.getAttribute("aria-valuenow"));
  // The bar moves while the build runs: seen strictly between empty and full.
  await expect.poll(progress, { timeout: 120_000, intervals: [250] }).toBeGreaterThan(0);
  const midway = await progress();
  expect(midway).toBeLessThan(100);
  await expect(bar).toHaveAttribute("data-state", "building");
  // The log streams while the build runs: install.log holds Odoo's lines when the template is
  // built now, and only Gantry's own when a cached template is reused (the tests log, checked
  // below, always has Odoo's).
  const lines = page.getByTestId("log-lines");
  await expect(lines).toContainText(
    /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ INFO |template database \S+ reused/,
    { timeout: 120_000 },
  );
  await shot("02-running");

  await expect(page.getByTestId("build-state")).toHaveText("success", { timeout: 180_000 });
  await expect(bar).toHaveAttribute("aria-valuenow", "100");
  await expect(bar).toHaveAttribute("data-state", "success");
  await expect(bar.locator("div")).toHaveClass(/bg-green-500/);
  for (const phase of ["code", "image", "database", "install", "tests", "serve"]) {
    await expect(page.getByTestId(`phase-${phase}`)).toHaveAttribute("data-status", /DONE|SKIPPED/);
  }
  await expect(page.getByTestId("build-error")).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Connect" })).toBeVisible();

  // The tests log: streamed to its end, filtered by level, searched.
  await page.getByRole("tab", { name: "tests.log" }).click();
  await expect(page.getByTestId("log-state")).toContainText("complete");
  await expect(lines).toContainText("Modules loaded.");
  await expect(lines).toContainText(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ INFO /);
  const before = await lines.locator("div").count();
  await page.getByLabel("Minimum level").selectOption("WARNING");
  await expect.poll(() => lines.locator("div").count()).toBeLessThan(before);
  await page.getByLabel("Minimum level").selectOption("DEBUG");
  await page.getByLabel("Search the log").fill("Modules loaded");
  await expect(lines.locator("div")).not.toHaveCount(0);
  for (const text of await lines.locator("div").allTextContents())
    expect(text.toLowerCase()).toContain("modules loaded");
  await shot("03-green");

  // The same log through the API: a download, and the event stream of an ended build.
  const download = await api.get(`/api/v1/builds/${queued.id}/logs/tests.log`);
  expect(download.status()).toBe(200);
  expect(download.headers()["content-type"]).toContain("text/plain");
  expect(await download.text()).toContain("Modules loaded.");
  const stream = await api.get(`/api/v1/builds/${queued.id}/logs/tests.log/stream`);
  expect(stream.headers()["content-type"]).toContain("text/event-stream");
  const frames = await stream.text();
  expect(frames).toContain("data: ");
  expect(frames).toMatch(/event: end\nid: \d+\n/);
  expect((await api.get(`/api/v1/builds/${queued.id}/logs/passwd`)).status()).toBe(400);

  // The Builds page lists it green with its actions; Rebuild queues a new build of the commit.
  await page.goto(`/projects/${projectId}/builds`);
  const row = page.getByTestId(`build-${queued.id}`);
  await expect(row.getByTestId("build-state")).toHaveText("success");
  await expect(row).toContainText(sha.slice(0, 7));
  await expect(row).toContainText("ACME Developer");
  await expect(row.getByRole("link", { name: "Connect" })).toBeVisible();
  await shot("04-builds-page");
  await row.getByRole("button", { name: "Rebuild" }).click();
  await expect(page.getByTestId(`build-${queued.id}`)).toBeVisible();
  // The click returns before the rebuild request has landed: wait for the new build to list.
  type Listed = { id: string; trigger: string; status: string };
  let newest: Listed | undefined;
  await expect
    .poll(async () => {
      const list = (await (await api.get(`/api/v1/projects/${projectId}/builds`)).json()) as {
        builds: Listed[];
      };
      newest = list.builds[0];
      return newest?.id === queued.id ? undefined : newest?.trigger;
    })
    .toBe("rebuild");
  const again = newest!;
  expect(again).toMatchObject({ trigger: "rebuild" });
  expect(again.id).not.toBe(queued.id);
  // Not while it builds: a rebuild of a build not ended is refused; cancelling it is not.
  if (again.status === "QUEUED" || again.status === "RUNNING") {
    expect((await api.post(`/api/v1/builds/${again.id}/rebuild`)).status()).toBe(409);
  }
  const cancel = await api.post(`/api/v1/builds/${again.id}/cancel`);
  expect([200, 409]).toContain(cancel.status());
  await page.goto(`/projects/${projectId}/builds/${again.id}`);
  await expect(page.getByTestId("build-state")).toHaveText(/cancelled|success|failed/, { timeout: 60_000 });
  await shot("05-rebuild-cancelled");
});
