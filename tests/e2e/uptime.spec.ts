// The project's Status tab: a production branch's last day of probes (every minute, 20 of them
// failed), its earlier days as daily counts, and the incident those failures made, as the probe
// leaves them in the database; the page shows the uptime figures, the strips and the incident
// with its cause and duration, and the API returns the same figures.
import { expect, test } from "@playwright/test";
import { signIn } from "./fixtures/auth";
import { sql } from "./fixtures/db";
import { type ProjectSetup, projectSetup } from "./fixtures/project";

let setup: ProjectSetup;

test.beforeAll(async () => {
  setup = await projectSetup("Uptime");
});

test.afterAll(async () => {
  await setup?.close();
});

type Status = {
  branches: {
    name: string;
    state: string;
    uptime: { day: number; week: number; month: number };
    incidents: { cause: string; durationMs: number }[];
    days: { percent: number | null }[];
  }[];
};

test("the Status tab shows production's uptime, its strips and an incident with its cause", async ({
  page,
}, testInfo) => {
  const project = await setup.project("Uptime");
  const branch = await setup.branch(project, "main", "PRODUCTION");
  // A day of probes, one a minute, the newest a minute ago; minutes 100 to 119 ago failed.
  await sql(
    `INSERT INTO "ProductionProbe" ("branchId", at, outcome, "latencyMs", "httpStatus", cause)
     SELECT $1, now() - make_interval(mins => i),
            CASE WHEN i BETWEEN 100 AND 119 THEN 'DOWN' ELSE 'UP' END::"ProbeOutcome",
            CASE WHEN i BETWEEN 100 AND 119 THEN NULL ELSE 40 END,
            CASE WHEN i BETWEEN 100 AND 119 THEN NULL ELSE 200 END,
            CASE WHEN i BETWEEN 100 AND 119 THEN 'container_exited' END
       FROM generate_series(1, 1440) AS i`,
    [branch.id],
  );
  // Earlier days as the probe counts them; one of them with an hour down.
  await sql(
    `INSERT INTO "ProductionUptimeDay" ("branchId", day, up, down, maintenance)
     SELECT $1, (now() AT TIME ZONE 'UTC')::date - d, CASE WHEN d = 5 THEN 1380 ELSE 1440 END,
            CASE WHEN d = 5 THEN 60 ELSE 0 END, 0
       FROM generate_series(2, 40) AS d`,
    [branch.id],
  );
  await sql(
    `INSERT INTO "ProductionIncident" (id, "projectId", "branchId", "startedAt", "endedAt", cause, detail, failures)
     VALUES ($1, $2, $3, now() - interval '119 minutes', now() - interval '99 minutes', 'container_exited', 'exit code 137', 20)`,
    [`inc${project.id}`, project.id, branch.id],
  );

  const answer = await setup.api.get(`/api/v1/projects/${project.id}/status`);
  expect(answer.status()).toBe(200);
  const status = (await answer.json()) as Status;
  const [main] = status.branches;
  expect(main).toMatchObject({ name: "main", state: "up" });
  // 20 failed of the day's probes (1439 or 1440 of them, as the window's edge falls).
  expect(main?.uptime.day).toBeCloseTo(98.61, 1);
  expect(main?.uptime.week).toBe(98.611);
  expect(main?.incidents).toEqual([
    expect.objectContaining({ cause: "container_exited", durationMs: 20 * 60_000 }),
  ]);
  expect(main?.days.filter((d) => d.percent !== null && d.percent < 100)).toHaveLength(1);

  await signIn(page, setup.admin);
  await page.goto(`/projects/${project.id}`);
  await page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "Status" }).click();
  await expect(page).toHaveURL(new RegExp(`/projects/${project.id}/status$`));
  const card = page.getByTestId("branch-status");
  await expect(card).toHaveAttribute("data-state", "up");
  await expect(card.getByRole("heading", { name: "main" })).toBeVisible();
  await expect(card.getByTestId("uptime-day")).toHaveText(/^98\.6\d %$/);
  await expect(card.getByTestId("uptime-week")).toHaveText("98.61 %");
  await expect(card.getByTestId("bars-day").locator("li")).toHaveCount(90);
  await expect(card.getByTestId("bars-hour").locator("li")).toHaveCount(24);
  const incident = card.getByTestId("incident");
  await expect(incident).toHaveCount(1);
  await expect(incident).toContainText("container exited");
  await expect(incident).toContainText("exit code 137");
  await expect(incident).toContainText("20 min");
  await page.screenshot({ path: testInfo.outputPath("project-status.png"), fullPage: true });
});
