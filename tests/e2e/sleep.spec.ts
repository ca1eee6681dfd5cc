// Idle sleep as a person sees it: a served development build left idle is put to sleep by the
// worker's sweep, the Builds page marks it sleeping, and Connect opens its address, which shows
// the starting page until the worker has woken it and then Odoo's login page.
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { type APIRequestContext, expect, test } from "@playwright/test";
import { makeFixtureRepos } from "../integration/github-flow/fixture-repos";
import { anonymous, createUser, runId, signedIn, type TestUser } from "./fixtures/auth";
import { sql } from "./fixtures/db";

const run = promisify(execFile);
let reposDir: string;
let admin: TestUser;
let api: APIRequestContext;
let project: { id: string; name: string } | undefined;

type BuildView = { status: string; result: string | null; sleepingSince: string | null; url: string | null };

test.beforeAll(async () => {
  reposDir = await mkdtemp(join(tmpdir(), "gantry-e2e-sleep-repos-"));
  await makeFixtureRepos(reposDir);
  const anon = await anonymous();
  admin = await createUser(anon, "Sleeper", { isAdmin: true });
  await anon.dispose();
  api = await signedIn(admin);
});

test.afterAll(async () => {
  if (project) {
    await api.delete(`/api/v1/projects/${project.id}`, {
      params: { confirmName: project.name, keepLastBackup: "false" },
    });
  }
  await api?.dispose();
  if (reposDir) await rm(reposDir, { recursive: true, force: true });
});

test("an idle development build sleeps, shows it, and wakes on Connect", async ({ page }, testInfo) => {
  test.setTimeout(300_000);
  const shot = (target: typeof page, name: string) =>
    target.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
  const name = `Sleep ${runId}`;
  const created = await api.post("/api/v1/projects", { data: { name, repository: `acme/sleep-${runId}` } });
  expect(created.status(), await created.text()).toBe(201);
  project = (await created.json()) as { id: string; name: string };
  const projectId = project.id;
  const bare = join(reposDir, "acme17.git");
  await sql('UPDATE "Project" SET "gitUrl" = $1 WHERE id = $2', [bare, projectId]);
  const branchAnswer = await api.post(`/api/v1/projects/${projectId}/branches`, {
    data: { name: "main", stage: "DEVELOPMENT" },
  });
  expect(branchAnswer.status(), await branchAnswer.text()).toBe(201);
  const branch = (await branchAnswer.json()) as { id: string };
  const sha = (await run("git", ["--git-dir", bare, "rev-parse", "refs/heads/main"])).stdout.trim();
  const { enqueueBuild } = await import("@gantry/core");
  const queued = await enqueueBuild({
    projectId,
    branchId: branch.id,
    stage: "DEVELOPMENT",
    commit: { sha, message: "Fixture project", author: "ACME Developer" },
    trigger: "manual",
  });
  const view = async () => (await (await api.get(`/api/v1/builds/${queued.id}`)).json()) as BuildView;
  await expect.poll(async () => (await view()).status, { timeout: 240_000, intervals: [1000] }).toBe("DONE");
  expect((await view()).result).toBe("SUCCESS");

  // Served two days ago and never requested since: idle for any BUILD_IDLE_MINUTES. The sweep
  // is the worker's own job, queued here instead of waiting for its schedule.
  await sql(
    `UPDATE "Build" SET "servingAt" = now() - interval '2 days', "lastRequestAt" = NULL WHERE id = $1`,
    [queued.id],
  );
  const { enqueue } = await import("@gantry/queue");
  await enqueue("maintenance.sleep-idle-builds", {});
  await expect.poll(async () => (await view()).sleepingSince, { timeout: 60_000 }).not.toBeNull();

  await page.goto("/login");
  await page.getByLabel("Email").fill(admin.email);
  await page.getByLabel("Password").fill(admin.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/projects$/);
  await page.goto(`/projects/${projectId}/builds`);
  const row = page.getByTestId(`build-${queued.id}`);
  await expect(row.getByTestId("build-state")).toHaveText("success");
  await expect(row.getByTestId("build-sleeping")).toHaveText(/sleeping/);
  await shot(page, "01-sleeping");

  // Connect opens the build's address: the starting page first, then Odoo once awake.
  const [popup] = await Promise.all([
    page.waitForEvent("popup"),
    row.getByRole("link", { name: "Connect" }).click(),
  ]);
  await expect(popup.locator("main[data-state]")).toHaveAttribute("data-state", "starting");
  await expect(popup.getByRole("heading")).toContainText("Starting");
  await shot(popup, "02-starting");
  await expect(popup.locator("body")).toContainText(/log ?in/i, { timeout: 180_000 });
  await expect(popup.locator("main[data-state]")).toHaveCount(0);
  await shot(popup, "03-awake");
  await popup.close();

  await expect.poll(async () => (await view()).sleepingSince, { timeout: 30_000 }).toBeNull();
  await page.reload();
  await expect(row.getByTestId("build-state")).toHaveText("success");
  await expect(row.getByTestId("build-sleeping")).toHaveCount(0);
  await shot(page, "04-awake-listed");
});
