// The Upgrade tab in Chromium: a production branch served by a real build of the acme16
// fixture's 17.0 code, a manual backup of it verified, then on a staging branch carrying the
// 18.0 code an Admin starts "Test upgrade" to 18.0, watches its steps progress and reads the
// report (modules before and after, row counts, the log streamed).
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { type APIRequestContext, expect, test } from "@playwright/test";
import { makeFixtureRepos } from "../integration/github-flow/fixture-repos";
import { anonymous, createUser, runId, signedIn, signIn, type TestUser } from "./fixtures/auth";
import { sql } from "./fixtures/db";

const run = promisify(execFile);
let reposDir: string;
let admin: TestUser;
let api: APIRequestContext;
let project: { id: string; name: string } | undefined;

test.beforeAll(async () => {
  reposDir = await mkdtemp(join(tmpdir(), "gantry-e2e-upgrade-repos-"));
  await makeFixtureRepos(reposDir);
  const anon = await anonymous();
  admin = await createUser(anon, "Upgrader", { isAdmin: true });
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

async function branch(projectId: string, name: string, stage: "DEVELOPMENT" | "STAGING") {
  const answer = await api.post(`/api/v1/projects/${projectId}/branches`, { data: { name, stage } });
  expect(answer.status(), await answer.text()).toBe(201);
  return (await answer.json()) as { id: string };
}

test("test an upgrade on staging: steps progress live, then the report", async ({ page }, testInfo) => {
  test.setTimeout(600_000);
  const shot = (name: string) =>
    page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
  const name = `Upgrade ${runId}`;
  const created = await api.post("/api/v1/projects", {
    data: { name, repository: `acme/upgrade-${runId}`, odooSeries: "17.0" },
  });
  expect(created.status(), await created.text()).toBe(201);
  project = (await created.json()) as { id: string; name: string };
  const projectId = project.id;
  const bare = join(reposDir, "acme16.git");
  await sql('UPDATE "Project" SET "gitUrl" = $1 WHERE id = $2', [bare, projectId]);
  const sha = async (ref: string) =>
    (await run("git", ["--git-dir", bare, "rev-parse", `refs/heads/${ref}`])).stdout.trim();

  // Production: a served build of the 17.0 code, moved to the production stage, backed up.
  const main = await branch(projectId, "main", "DEVELOPMENT");
  const { enqueueBuild } = await import("@gantry/core");
  const queued = await enqueueBuild({
    projectId,
    branchId: main.id,
    stage: "DEVELOPMENT",
    commit: { sha: await sha("17.0"), message: "ACME on 17.0", author: "ACME Developer" },
    trigger: "manual",
  });
  await expect
    .poll(
      async () => {
        const build = (await (await api.get(`/api/v1/builds/${queued.id}`)).json()) as {
          servingAt: string | null;
          status: string;
        };
        return build.status === "DONE" ? Boolean(build.servingAt) : build.status;
      },
      { timeout: 240_000, intervals: [1000] },
    )
    .toBe(true);
  await sql("UPDATE \"Branch\" SET stage = 'PRODUCTION' WHERE id = $1", [main.id]);
  await sql("UPDATE \"Build\" SET stage = 'PRODUCTION' WHERE id = $1", [queued.id]);
  const backup = await api.post(`/api/v1/projects/${projectId}/branches/${main.id}/backups`, { data: {} });
  expect(backup.status(), await backup.text()).toBe(202);
  await expect
    .poll(
      async () => {
        const listed = (await (await api.get(`/api/v1/projects/${projectId}/backups`)).json()) as {
          backups: { verifyStatus: string }[];
        };
        return listed.backups[0]?.verifyStatus ?? "none";
      },
      { timeout: 180_000, intervals: [1000] },
    )
    .toBe("VERIFIED");

  // Staging carries the code ported to 18.0.
  const staging = await branch(projectId, "upgrade-18", "STAGING");
  await sql('UPDATE "Branch" SET "lastSeenSha" = $1 WHERE id = $2', [await sha("18.0"), staging.id]);

  await signIn(page, admin);
  await page.goto(`/projects/${projectId}/branches/${staging.id}`);
  await page
    .getByRole("navigation", { name: "Branch" })
    .getByRole("link", { name: "Upgrade", exact: true })
    .click();
  await expect(page).toHaveURL(new RegExp(`/branches/${staging.id}/upgrade$`));
  await expect(page.getByTestId("current-series")).toHaveText("17.0");
  await expect(page.getByText(/No upgrade yet/)).toBeVisible();
  await shot("01-upgrade-tab");

  await page.getByLabel("Target series").selectOption("18.0");
  await page.getByRole("button", { name: "Test upgrade" }).click();
  const detail = page.getByTestId("attempt-detail");
  await expect(detail).toBeVisible();
  // The steps appear as the worker reaches them.
  await expect(page.getByTestId("step-restore")).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId("step-update")).toBeVisible({ timeout: 240_000 });
  await shot("02-running");
  await expect(detail).toHaveAttribute("data-status", "SUCCEEDED", { timeout: 300_000 });
  for (const step of ["restore", "copy", "pre", "update", "post", "verify", "modules"]) {
    await expect(page.getByTestId(`step-${step}`)).toHaveAttribute("data-status", "done");
  }

  // The report: modules before and after, the row counts, the log rules' verdict.
  const report = page.getByTestId("upgrade-report");
  await expect(report).toBeVisible();
  const modules = page.getByRole("table", { name: "Modules" });
  await expect(modules.getByRole("row", { name: /acme_legacy/ })).toContainText("17.0.1.0.0");
  await expect(modules.getByRole("row", { name: /acme_legacy/ })).toContainText("18.0.1.0.0");
  await expect(
    page.getByRole("table", { name: "Row counts" }).getByRole("row", { name: /acme_legacy/ }),
  ).toBeVisible();
  await expect(page.getByTestId("report-log-status")).not.toContainText("failed");
  await expect(page.getByText(/Upgrade-test mode until/)).toBeVisible();
  await expect(page.getByTestId("log-lines")).toContainText("post-series", { timeout: 30_000 });
  await shot("03-report");
});
