// Deploy gates seen in the browser: an Admin sets the project's time zone and the production
// branch's gates in the settings form (a named check and a window on a day that is not today);
// GitHub's push (the stand-in, over HTTP) makes a waiting build; the branch page shows the check
// with its state and the window's opening; "Deploy now" releases it.
import { expect, test } from "@playwright/test";
import {
  type GithubStandin,
  pushPayload,
  type StandinRepo,
  startGithubStandin,
} from "../support/github-standin";
import { signIn } from "./fixtures/auth";
import { sql } from "./fixtures/db";
import { connectToStandin, STANDIN_PORT } from "./fixtures/github";
import { type LocalProject, type ProjectSetup, projectSetup } from "./fixtures/project";

let setup: ProjectSetup;
let gh: GithubStandin;
let project: LocalProject;
let repo: StandinRepo;

test.beforeAll(async () => {
  setup = await projectSetup("Gates");
  gh = await startGithubStandin({ port: STANDIN_PORT });
});

test.afterAll(async () => {
  await setup?.close();
  await gh?.close();
});

test("a production push waits for its check and its window; Deploy now releases it", async ({
  page,
}, testInfo) => {
  test.setTimeout(180_000);
  const shot = (name: string) =>
    page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
  project = await setup.project("Gates");
  repo = await connectToStandin(setup.api, gh, project);
  const branch = await setup.branch(project, "main", "PRODUCTION");
  const tz = await setup.api.patch(`/api/v1/projects/${project.id}`, { data: { timeZone: "Asia/Tokyo" } });
  expect(tz.status(), await tz.text()).toBe(200);
  const badZone = await setup.api.patch(`/api/v1/projects/${project.id}`, {
    data: { timeZone: "Nowhere/City" },
  });
  expect(badZone.status()).toBe(400);

  // A window on a single day three days from today (in Tokyo): closed now, for days to come.
  const today = Number(
    new Intl.DateTimeFormat("en-US", { timeZone: "Asia/Tokyo", weekday: "short" })
      .formatToParts(new Date())
      .map((p) => ({ Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 })[p.value])
      .find(Boolean),
  );
  const day = ((today + 2) % 7) + 1;
  const dayName = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][day - 1]!;

  await signIn(page, setup.admin);
  await page.goto(`/projects/${project.id}/branches/${branch.id}`);
  const form = page.getByRole("form", { name: "Branch settings" });
  await form.getByLabel("Wait for checks").selectOption("NAMED");
  await form.getByLabel(/Checks to wait for/).fill("ci/tests");
  await form.getByRole("checkbox", { name: dayName }).check();
  await form.getByLabel("Window opens at (hour)").fill("9");
  await form.getByLabel("Window closes at (hour)").fill("17");
  await form.getByRole("button", { name: "Save branch settings" }).click();
  await expect(form.getByRole("status")).toHaveText("Settings saved");
  await shot("01-gate-settings");
  const settings = await setup.api.get(`/api/v1/projects/${project.id}/branches/${branch.id}/settings`);
  expect(await settings.json()).toMatchObject({
    gateChecks: "NAMED",
    gateCheckNames: ["ci/tests"],
    deployWindow: { days: [day], startHour: 9, endHour: 17 },
    timeZone: "Asia/Tokyo",
  });

  // CI has started on the commit; GitHub sends the push.
  const sha = await setup.head(project, "main");
  gh.addCheckRun(repo, { sha, name: "ci/tests", status: "in_progress" });
  const [sent] = await gh.deliver(repo, "push", pushPayload(project.repository, "main", "0".repeat(40), sha));
  expect(sent).toMatchObject({ status_code: 200 });

  // The worker's first look records what the build waits for.
  await expect
    .poll(
      async () =>
        (
          await sql(
            'SELECT g."evaluatedAt" FROM "DeployGate" g JOIN "Build" b ON b.id = g."buildId" WHERE b."branchId" = $1',
            [branch.id],
          )
        )[0]?.evaluatedAt ?? null,
      { timeout: 60_000 },
    )
    .not.toBeNull();
  const builds = await setup.api.get(`/api/v1/projects/${project.id}/branches/${branch.id}/builds`);
  const [waiting] = (await builds.json()).builds as Array<{ id: string; status: string; gate: unknown }>;
  expect(waiting).toMatchObject({
    status: "WAITING",
    gate: {
      waitingChecks: true,
      waitingWindow: true,
      checks: [{ name: "ci/tests", kind: "check_run", state: "pending" }],
    },
  });

  await page.goto(`/projects/${project.id}/branches/${branch.id}`);
  const wait = page.getByRole("region", { name: `Build ${sha.slice(0, 7)} waiting` });
  await expect(wait.getByText("Waiting for checks")).toBeVisible();
  await expect(wait.getByRole("list", { name: "Checks" })).toHaveText("ci/tests: pending");
  await expect(
    wait.getByText(new RegExp(`Waiting for the deploy window \\(opens ${dayName} .* 09:00 GMT\\+9\\)`)),
  ).toBeVisible();
  await shot("02-waiting");

  await wait.getByRole("button", { name: "Deploy now" }).click();
  await expect(wait).toBeHidden();
  await shot("03-released");
  const after = await setup.api.get(`/api/v1/builds/${waiting!.id}`);
  const released = (await after.json()) as {
    status: string;
    gate: { releaseNote: string; releasedBy: string };
  };
  expect(["QUEUED", "RUNNING", "DONE"]).toContain(released.status);
  expect(released.gate).toMatchObject({ releaseNote: "deploy now", releasedBy: setup.admin.id });
  const audit = await sql('SELECT "userId" FROM "AuditEvent" WHERE action = $1 AND target = $2', [
    "build.deploy_now",
    waiting!.id,
  ]);
  expect(audit).toEqual([{ userId: setup.admin.id }]);
});
