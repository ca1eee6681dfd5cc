// A development build watched live: a project whose git URL is a fixture repository on disk, a
// build of `main` queued by the same use-case the webhook calls, and the build page in
// Chromium while the e2e worker really builds it (phases, progress bar, streamed log, green);
// then a rebuild held queued behind the branch's lock, cancelled from its row.
import { expect, test } from "@playwright/test";
import { signIn } from "./fixtures/auth";
import { buildJob, holdBranch, queueBuild } from "./fixtures/builds";
import { type ProjectSetup, projectSetup } from "./fixtures/project";

let setup: ProjectSetup;

test.beforeAll(async () => {
  setup = await projectSetup("Builder");
});

test.afterAll(async () => {
  await setup?.close();
});

test("a development build of main: live phases, streamed log, green at the end", async ({
  page,
}, testInfo) => {
  test.setTimeout(240_000);
  const shot = (name: string) =>
    page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
  const project = await setup.project("Builds");
  const projectId = project.id;
  const api = setup.api;
  const branch = await setup.branch(project, "main", "DEVELOPMENT");

  await signIn(page, setup.admin);
  await page.goto(`/projects/${projectId}/builds`);
  await expect(page.getByText("No builds yet: push to a branch.")).toBeVisible();
  await shot("01-no-builds");

  // Queued as a push queues it: the use-case behind the webhook.
  const sha = await setup.head(project, "main");
  const queued = await queueBuild(project, branch.id, "DEVELOPMENT", sha);

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
  await expect(page.getByRole("button", { name: "Connect", exact: true })).toBeVisible();
  // Where it serves: the one-host runtime's only node, this machine's engine.
  await expect(page.getByTestId("build-node")).toContainText(/Runs on \S+/);

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
  await expect(row.getByRole("button", { name: "Connect", exact: true })).toBeVisible();
  await shot("04-builds-page");

  // A rebuild while the branch is busy (its lock held, as a build of it holds it) stays queued:
  // its job waits on the worker, a rebuild of it is refused, and Cancel ends it at once.
  const busy = await holdBranch(branch.id);
  let again: { id: string; trigger: string; status: string } | undefined;
  try {
    await row.getByRole("button", { name: "Rebuild" }).click();
    // The click returns before the rebuild request has landed: wait for the new build to list.
    await expect
      .poll(async () => {
        const list = (await (await api.get(`/api/v1/projects/${projectId}/builds`)).json()) as {
          builds: { id: string; trigger: string; status: string }[];
        };
        again = list.builds[0]?.id === queued.id ? undefined : list.builds[0];
        return again?.trigger;
      })
      .toBe("rebuild");
    const waitingId = again!.id;
    await expect.poll(async () => (await buildJob(waitingId))?.state).toBe("active");
    const waiting = page.getByTestId(`build-${waitingId}`);
    await expect(waiting.getByTestId("build-state")).toHaveText("queued");
    expect((await (await api.get(`/api/v1/builds/${waitingId}`)).json()).status).toBe("QUEUED");
    expect((await api.post(`/api/v1/builds/${waitingId}/rebuild`)).status()).toBe(409);
    const cancelling = page.waitForResponse((r) => r.url().endsWith(`/api/v1/builds/${waitingId}/cancel`));
    await waiting.getByRole("button", { name: "Cancel" }).click();
    const cancel = await cancelling;
    expect(cancel.status()).toBe(200);
    expect(await cancel.json()).toEqual({ outcome: "cancelled" });
    await expect(waiting.getByTestId("build-state")).toHaveText("cancelled");
    await shot("05-rebuild-cancelled");
    // Ended: cancelling again is refused.
    expect((await api.post(`/api/v1/builds/${waitingId}/cancel`)).status()).toBe(409);
  } finally {
    await busy.release();
  }
  // The branch free again, the worker's job ends without starting the cancelled build.
  await expect
    .poll(async () => await buildJob(again!.id))
    .toEqual({
      state: "completed",
      result: { status: "skipped: not queued" },
    });
  expect((await (await api.get(`/api/v1/builds/${again!.id}`)).json()).status).toBe("CANCELLED");
});
