// Backups in Chromium: a production branch served by a real build (a development build of the
// fixture project, moved to production in its rows as a production build leaves them), its
// Backups tab empty, a manual backup taken and seen verified live, downloaded (whole and by
// range), restored after a confirmation with its safety backup listed; a staging Tester sees
// no Backups tab on production.
import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { signIn } from "./fixtures/auth";
import { queueBuild, waitServed } from "./fixtures/builds";
import { sql } from "./fixtures/db";
import { type ProjectSetup, projectSetup } from "./fixtures/project";

let setup: ProjectSetup;

test.beforeAll(async () => {
  setup = await projectSetup("Keeper");
});

test.afterAll(async () => {
  await setup?.close();
});

test("take a manual backup, see it verified, download it, restore it", async ({ page }, testInfo) => {
  test.setTimeout(420_000);
  const shot = (name: string) =>
    page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
  const project = await setup.project("Backups");
  const projectId = project.id;
  const api = setup.api;
  const branch = await setup.branch(project, "main", "DEVELOPMENT");

  // A served build of main, then the branch and its build given the production stage.
  const queued = await queueBuild(project, branch.id, "DEVELOPMENT", await setup.head(project, "main"));
  await waitServed(api, queued.id);
  await sql("UPDATE \"Branch\" SET stage = 'PRODUCTION' WHERE id = $1", [branch.id]);
  await sql("UPDATE \"Build\" SET stage = 'PRODUCTION' WHERE id = $1", [queued.id]);

  await signIn(page, setup.admin);
  await page.goto(`/projects/${projectId}/branches/${branch.id}`);
  await page.getByRole("navigation", { name: "Branch" }).getByRole("link", { name: "Backups" }).click();
  await expect(page).toHaveURL(new RegExp(`/branches/${branch.id}/backups$`));
  await expect(page.getByText("No backups of this branch yet.")).toBeVisible();
  await expect(page.getByText(/backed up every day at \d\d:00 UTC/)).toBeVisible();
  await shot("01-empty");

  // A manual backup: queued, running with its progress, then verified.
  await page.getByRole("button", { name: "Take a backup" }).click();
  const table = page.getByRole("table", { name: "Backups" });
  const first = table.locator("tbody tr").first();
  await expect(first).toContainText("manual");
  await expect(first).toContainText("verified", { timeout: 180_000 });
  await expect(first).toContainText("Odoo 17.0");
  await expect(first).toContainText(/\d+(\.\d)? (KB|MB)/);
  await shot("02-verified");
  const backupId = (await first.getAttribute("data-backup-id")) as string;

  // Download: the whole archive through the browser, then a resumed range through the API.
  const downloading = page.waitForEvent("download");
  await first.getByRole("link", { name: "Download" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^main-manual-\d{8}-\d{4}\.zip$/);
  const saved = testInfo.outputPath("backup.zip");
  await download.saveAs(saved);
  const bytes = await readFile(saved);
  expect(bytes.subarray(0, 2).toString()).toBe("PK");
  const listed = (await (await api.get(`/api/v1/projects/${projectId}/backups`)).json()) as {
    backups: { id: string; sizeBytes: number; sha256: string }[];
  };
  const row = listed.backups.find((b) => b.id === backupId)!;
  expect(row.sizeBytes).toBe(bytes.length);
  const { createHash } = await import("node:crypto");
  expect(createHash("sha256").update(bytes).digest("hex")).toBe(row.sha256);
  const tail = await api.get(`/api/v1/projects/${projectId}/backups/${backupId}/download`, {
    headers: { Range: `bytes=${bytes.length - 100}-` },
  });
  expect(tail.status()).toBe(206);
  expect(tail.headers()["content-range"]).toBe(
    `bytes ${bytes.length - 100}-${bytes.length - 1}/${bytes.length}`,
  );
  expect((await tail.body()).equals(bytes.subarray(bytes.length - 100))).toBe(true);

  // Restore, after the confirmation: the safety backup appears and the restore finishes.
  await first.getByRole("button", { name: "Restore" }).click();
  await expect(first.getByText(/Replace the database and files of main/)).toBeVisible();
  await shot("03-confirm-restore");
  await first.getByRole("button", { name: "Restore now" }).click();
  await expect(page.getByText(/Restore finished/)).toBeVisible({ timeout: 240_000 });
  await expect(table.locator("tbody tr", { hasText: "safety" })).toHaveCount(1);
  await expect(table.locator("tbody tr", { hasText: "safety" })).toContainText(/verified|verifying/);
  await shot("04-restored");

  // Odoo serves again on the restored database.
  const [{ httpPort }] = await sql('SELECT "httpPort" FROM "Build" WHERE id = $1', [queued.id]);
  const health = await fetch(`http://127.0.0.1:${httpPort}/web/health`);
  expect(health.status).toBe(200);
  const audit = (await (await api.get(`/api/v1/projects/${projectId}/audit`)).json()) as {
    events: { action: string }[];
  };
  const actions = audit.events.map((e) => e.action);
  expect(actions).toEqual(expect.arrayContaining(["backup.created", "backup.downloaded", "backup.restored"]));
});
