// The Monitor tab of a served development build: the worker's collector samples it, the tab
// draws its nine charts (requests, response time and Odoo's workers among them) with the
// deploy marked and listed; a build that served but has no samples shows the empty state, and
// once asleep says so.
import { expect, test } from "@playwright/test";
import { signIn } from "./fixtures/auth";
import { queueBuild, waitServed } from "./fixtures/builds";
import { sql } from "./fixtures/db";
import { type ProjectSetup, projectSetup } from "./fixtures/project";

let setup: ProjectSetup;

type Metrics = {
  state: string;
  series: { at: number[]; memoryBytes: (number | null)[] };
  annotations: { kind: string; label: string }[];
};

test.beforeAll(async () => {
  setup = await projectSetup("Monitor");
});

test.afterAll(async () => {
  await setup?.close();
});

test("a served build's Monitor tab: charts, the deploy marked, empty and asleep states", async ({
  page,
}, testInfo) => {
  test.setTimeout(360_000);
  const shot = (name: string) =>
    page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
  const project = await setup.project("Monitor");
  const api = setup.api;
  const branch = await setup.branch(project, "main", "DEVELOPMENT");
  const sha = await setup.head(project, "main");
  const served = await queueBuild(project, branch.id, "DEVELOPMENT", sha);
  await waitServed(api, served.id);

  // The collector is the worker's scheduled job; queued here too, so the wait is short.
  const { enqueue } = await import("@gantry/queue");
  const metrics = async () =>
    (await (await api.get(`/api/v1/builds/${served.id}/metrics?range=hour`)).json()) as Metrics;
  await expect
    .poll(
      async () => {
        await enqueue("maintenance.collect-metrics", {});
        return (await metrics()).series.at.length;
      },
      { timeout: 120_000, intervals: [2000] },
    )
    .toBeGreaterThanOrEqual(2);
  const seen = await metrics();
  expect(seen.state).toBe("serving");
  expect(seen.series.memoryBytes.some((m) => (m ?? 0) > 0)).toBe(true);
  expect(seen.annotations).toContainEqual({
    at: expect.any(String),
    kind: "deploy",
    label: `deployed ${sha.slice(0, 7)}`,
  });

  await signIn(page, setup.admin);
  await page.goto(`/projects/${project.id}/builds/${served.id}`);
  await page.getByRole("tab", { name: "monitor" }).click();
  const charts = page.getByTestId("metric-chart");
  await expect(charts).toHaveCount(9);
  for (const title of [
    "CPU",
    "Memory",
    "Database size",
    "Database connections",
    "Longest running query",
    "Requests",
    "Response time",
    "Odoo workers",
  ]) {
    await expect(page.getByRole("figure", { name: new RegExp(`^${title}`) }).locator("canvas")).toBeVisible();
  }
  // The memory chart has its limit as a second line; the deploy is listed with the charts.
  await expect(page.getByRole("figure", { name: "Memory" })).toContainText("limit");
  await expect(page.getByRole("list", { name: "Events" }).locator('[data-kind="deploy"]')).toContainText(
    `deployed ${sha.slice(0, 7)}`,
  );
  await shot("01-charts");
  // The day's range reads the minute roll-ups: the worker's roll-up job, queued here too.
  await expect
    .poll(
      async () => {
        await enqueue("maintenance.metrics-rollup", {});
        const day = (await (
          await api.get(`/api/v1/builds/${served.id}/metrics?range=day`)
        ).json()) as Metrics;
        return day.series.at.length;
      },
      { timeout: 60_000, intervals: [2000] },
    )
    .toBeGreaterThanOrEqual(1);
  await page.getByRole("button", { name: "day" }).click();
  await expect(page.getByRole("button", { name: "day" })).toHaveAttribute("aria-pressed", "true");
  await expect(charts.first().locator("canvas")).toBeVisible();
  await shot("02-day");

  // A build that served but was never sampled, then asleep.
  const [row] = await sql(
    `INSERT INTO "Build" (id, "projectId", "branchId", stage, "commitSha", status, result, "finishedAt", "servingAt")
     VALUES ($1, $2, $3, 'DEVELOPMENT', $4, 'DONE', 'SUCCESS', now(), now()) RETURNING id`,
    [`monitor${Math.random().toString(36).slice(2, 10)}`, project.id, branch.id, "c".repeat(40)],
  );
  const quiet = (row as { id: string }).id;
  await page.goto(`/projects/${project.id}/builds/${quiet}`);
  await page.getByRole("tab", { name: "monitor" }).click();
  await expect(page.getByTestId("monitor-empty")).toHaveText(
    "No samples yet: metrics appear within 15 s of serving.",
  );
  await sql(`UPDATE "Build" SET "sleepingSince" = now() WHERE id = $1`, [quiet]);
  await page.reload();
  await page.getByRole("tab", { name: "monitor" }).click();
  await expect(page.getByTestId("monitor-asleep")).toContainText("asleep");
  await shot("03-asleep");
});
