// Production and staging builds as a person sees them: a production build of main (phases
// with tests skipped for production, green, served), then a staging build watched live (the
// database phase copying and neutralizing production), and the Builds page listing both,
// production first.
import { expect, test } from "@playwright/test";
import { signIn } from "./fixtures/auth";
import { queueBuild } from "./fixtures/builds";
import { sql } from "./fixtures/db";
import { type ProjectSetup, projectSetup } from "./fixtures/project";

let setup: ProjectSetup;
let productionDb: string | undefined;

test.beforeAll(async () => {
  setup = await projectSetup("Stager");
});

test.afterAll(async () => {
  await setup?.close();
  // Production's database is the branch's: deleting builds keeps it, the test drops it.
  if (productionDb)
    await sql(`DROP DATABASE IF EXISTS "${productionDb}" WITH (FORCE)`, [], "postgres").catch(() => {});
});

test("production then staging: phases as they apply to each stage, neutralized copy, builds page", async ({
  page,
}, testInfo) => {
  test.setTimeout(420_000);
  const shot = (name: string) =>
    page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
  const project = await setup.project("Stages");
  const projectId = project.id;
  const main = await setup.branch(project, "main", "PRODUCTION");
  productionDb = `gantry_p_${main.id}`;
  const sha = await setup.head(project, "main");

  await signIn(page, setup.admin);
  const production = await queueBuild(project, main.id, "PRODUCTION", sha);
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

  const staging = await setup.branch(project, "staging-1", "STAGING");
  const copy = await queueBuild(project, staging.id, "STAGING", sha);
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
