// Production and staging builds as a person sees them: a production build of main (phases
// with tests skipped for production, green, served), then a staging build watched live (the
// database phase copying and neutralizing production), and the Builds page listing both,
// production first.
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
let productionDb: string | undefined;
/** Databases and roles of the builds on the production/staging server, dropped at the end. */
const buildDatabases: string[] = [];

test.beforeAll(async () => {
  reposDir = await mkdtemp(join(tmpdir(), "gantry-e2e-stages-repos-"));
  await makeFixtureRepos(reposDir);
  const anon = await anonymous();
  admin = await createUser(anon, "Stager", { isAdmin: true });
  await anon.dispose();
  api = await signedIn(admin);
});

test.afterAll(async () => {
  if (project) {
    await api.delete(`/api/v1/projects/${project.id}`, {
      params: { confirmName: project.name, keepLastBackup: "false" },
    });
  }
  // Production's database is the branch's: deleting builds keeps it, the test drops it.
  if (productionDb)
    await sql(`DROP DATABASE IF EXISTS "${productionDb}" WITH (FORCE)`, [], "postgres").catch(() => {});
  await api?.dispose();
  if (reposDir) await rm(reposDir, { recursive: true, force: true });
});

async function branch(projectId: string, name: string, stage: "PRODUCTION" | "STAGING") {
  const answer = await api.post(`/api/v1/projects/${projectId}/branches`, { data: { name, stage } });
  expect(answer.status(), await answer.text()).toBe(201);
  return (await answer.json()) as { id: string };
}

test("production then staging: phases as they apply to each stage, neutralized copy, builds page", async ({
  page,
}, testInfo) => {
  test.setTimeout(420_000);
  const shot = (name: string) =>
    page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
  const name = `Stages ${runId}`;
  const created = await api.post("/api/v1/projects", { data: { name, repository: `acme/stages-${runId}` } });
  expect(created.status(), await created.text()).toBe(201);
  project = (await created.json()) as { id: string; name: string };
  const projectId = project.id;
  const bare = join(reposDir, "acme17.git");
  await sql('UPDATE "Project" SET "gitUrl" = $1 WHERE id = $2', [bare, projectId]);
  const main = await branch(projectId, "main", "PRODUCTION");
  productionDb = `gantry_p_${main.id}`;
  const sha = (await run("git", ["--git-dir", bare, "rev-parse", "refs/heads/main"])).stdout.trim();
  const { enqueueBuild } = await import("@gantry/core");

  await signIn(page, admin);
  const production = await enqueueBuild({
    projectId,
    branchId: main.id,
    stage: "PRODUCTION",
    commit: { sha, message: "Fixture project", author: "ACME Developer" },
    trigger: "manual",
  });
  await page.goto(`/projects/${projectId}/builds/${production.id}`);
  await expect(page.getByTestId("build-state")).toHaveText("success", { timeout: 240_000 });
  await expect(page.getByTestId("phase-tests")).toHaveAttribute("data-status", "SKIPPED");
  await expect(page.getByTestId("phase-tests")).toContainText("production: no tests");
  await expect(page.getByTestId("phase-database")).toContainText("new production database");
  await expect(page.getByTestId("phase-install")).toContainText("without demo data");
  await expect(page.getByTestId("phase-serve")).toHaveAttribute("data-status", "DONE");
  await page.getByRole("tab", { name: "install.log" }).click();
  await expect(page.getByTestId("log-lines")).toContainText("Modules loaded.");
  await shot("01-production-green");

  const staging = await branch(projectId, "staging-1", "STAGING");
  const copy = await enqueueBuild({
    projectId,
    branchId: staging.id,
    stage: "STAGING",
    commit: { sha, message: "Fixture project", author: "ACME Developer" },
    trigger: "manual",
  });
  buildDatabases.push(`gantry_b_${production.id}`, `gantry_b_${copy.id}`);
  await page.goto(`/projects/${projectId}/builds/${copy.id}`);
  await expect(page.getByTestId("build-state")).toHaveText("success", { timeout: 240_000 });
  await expect(page.getByTestId("phase-database")).toContainText("neutralized copy of production (main)");
  await expect(page.getByTestId("phase-install")).toContainText("updated (-u)");
  await expect(page.getByTestId("phase-tests")).toContainText("staging: no tests");
  await page.getByRole("tab", { name: "update.log" }).click();
  await expect(page.getByTestId("log-lines")).toContainText("neutralize");
  await shot("02-staging-green");

  await page.goto(`/projects/${projectId}/builds`);
  // Production's table comes first, then staging's.
  const tables = page.getByRole("table");
  await expect(tables.first()).toHaveAttribute("aria-label", "Production builds");
  await expect(tables.nth(1)).toHaveAttribute("aria-label", "Staging builds");
  await expect(page.getByTestId(`build-${production.id}`).getByTestId("build-state")).toHaveText("success");
  await expect(page.getByTestId(`build-${copy.id}`).getByTestId("build-state")).toHaveText("success");
  await shot("03-builds-page");
});
