// Idle sleep as a person sees it: a served development build left idle is put to sleep by the
// worker's sweep, the Builds page marks it sleeping, and Connect opens its address, which shows
// the starting page until the worker has woken it and then Odoo's login page.
import { expect, test } from "@playwright/test";
import { signIn } from "./fixtures/auth";
import { queueBuild } from "./fixtures/builds";
import { sql } from "./fixtures/db";
import { type ProjectSetup, projectSetup } from "./fixtures/project";

let setup: ProjectSetup;

type BuildView = { status: string; result: string | null; sleepingSince: string | null; url: string | null };

test.beforeAll(async () => {
  setup = await projectSetup("Sleeper");
});

test.afterAll(async () => {
  await setup?.close();
});

test("an idle development build sleeps, shows it, and wakes on Connect", async ({ page }, testInfo) => {
  test.setTimeout(300_000);
  const shot = (target: typeof page, name: string) =>
    target.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
  const project = await setup.project("Sleep");
  const projectId = project.id;
  const api = setup.api;
  const branch = await setup.branch(project, "main", "DEVELOPMENT");
  const queued = await queueBuild(project, branch.id, "DEVELOPMENT", await setup.head(project, "main"));
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

  await signIn(page, setup.admin);
  await page.goto(`/projects/${projectId}/builds`);
  const row = page.getByTestId(`build-${queued.id}`);
  await expect(row.getByTestId("build-state")).toHaveText("success");
  await expect(row.getByTestId("build-sleeping")).toHaveText(/sleeping/);
  await shot(page, "01-sleeping");

  // Connect opens the build's address: the starting page first, then Odoo once awake, where
  // the reload lands on Connect's login (its token outlives a wake).
  const [popup] = await Promise.all([
    page.waitForEvent("popup"),
    row.getByRole("button", { name: "Connect", exact: true }).click(),
  ]);
  await expect(popup.locator("main[data-state]")).toHaveAttribute("data-state", "starting");
  await expect(popup.getByRole("heading")).toContainText("Starting");
  await shot(popup, "02-starting");
  await expect(popup.locator(".oe_topbar_name")).toHaveText("admin", { timeout: 180_000 });
  await expect(popup.locator("main[data-state]")).toHaveCount(0);
  await shot(popup, "03-awake");
  await popup.close();

  await expect.poll(async () => (await view()).sleepingSince, { timeout: 30_000 }).toBeNull();
  await page.reload();
  await expect(row.getByTestId("build-state")).toHaveText("success");
  await expect(row.getByTestId("build-sleeping")).toHaveCount(0);
  await shot(page, "04-awake-listed");
});
