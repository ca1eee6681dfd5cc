// The Upgrade tab in Chromium: a production branch served by a real build of the acme16
// fixture's 17.0 code, a manual backup of it verified, then on a staging branch carrying the
// 18.0 code an Admin starts "Test upgrade" to 18.0, watches its steps progress and reads the
// report (modules before and after, row counts, the log streamed).
import { expect, test } from "@playwright/test";
import { signIn } from "./fixtures/auth";
import { queueBuild, waitServed } from "./fixtures/builds";
import { sql } from "./fixtures/db";
import { type ProjectSetup, projectSetup } from "./fixtures/project";

let setup: ProjectSetup;

test.beforeAll(async () => {
  setup = await projectSetup("Upgrader");
});

test.afterAll(async () => {
  await setup?.close();
});

test("test an upgrade on staging: steps progress live, then the report", async ({ page }, testInfo) => {
  test.setTimeout(600_000);
  const shot = (name: string) =>
    page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
  const project = await setup.project("Upgrade", { repo: "acme16", odooSeries: "17.0" });
  const projectId = project.id;
  const api = setup.api;
  const sha = (ref: string) => setup.head(project, ref);

  // Production: a served build of the 17.0 code, moved to the production stage, backed up.
  const main = await setup.branch(project, "main", "DEVELOPMENT");
  const queued = await queueBuild(project, main.id, "DEVELOPMENT", await sha("17.0"), "ACME on 17.0");
  await waitServed(api, queued.id);
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
  const staging = await setup.branch(project, "upgrade-18", "STAGING");
  await sql('UPDATE "Branch" SET "lastSeenSha" = $1 WHERE id = $2', [await sha("18.0"), staging.id]);

  await signIn(page, setup.admin);
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
