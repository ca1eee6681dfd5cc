// One push to production, through the doors a person and GitHub use: a push signed with the
// project's webhook secret (HMAC-SHA256 in X-Hub-Signature-256, as GitHub signs it) posted to
// the running web app, the development build it queues watched live in Chromium until green,
// the branch moved to production on the board, and the next push built there, green. Only
// HTTP and the browser: the project is connected to the local GitHub stand-in (port 3199, the
// API URL the web server and worker are started with) and clones from a fixture repository.
import { expect, type Page, test } from "@playwright/test";
import {
  type GithubStandin,
  pushPayload,
  type StandinRepo,
  startGithubStandin,
  webhookRequest,
} from "../support/github-standin";
import { signIn } from "./fixtures/auth";
import { connectToStandin, STANDIN_PORT } from "./fixtures/github";
import { type LocalProject, type ProjectSetup, projectSetup } from "./fixtures/project";

let setup: ProjectSetup;
let gh: GithubStandin;

test.beforeAll(async () => {
  setup = await projectSetup("Voyager");
  gh = await startGithubStandin({ port: STANDIN_PORT });
});

test.afterAll(async () => {
  await setup?.close();
  await gh?.close();
});

/** Posts a push to the web app's webhook endpoint, signed with the hook's secret. */
async function deliverPush(page: Page, repo: StandinRepo, payload: Record<string, unknown>) {
  const secret = repo.hooks[0]!.config.secret!;
  const delivery = webhookRequest("push", payload, secret);
  const answer = await page.request.post("/api/github/webhook", {
    headers: delivery.headers,
    data: delivery.body,
  });
  expect(answer.status(), await answer.text()).toBe(200);
  return (await answer.json()) as { outcome: string };
}

/** Opens the build of `sha` from the Builds page and waits for it to end green, seen building first. */
async function watchBuildToGreen(page: Page, project: LocalProject, table: string, sha: string) {
  await page.goto(`/projects/${project.id}/builds`);
  const builds = page.getByRole("table", { name: table });
  await builds.getByRole("link", { name: sha.slice(0, 7) }).click();
  await expect(page).toHaveURL(new RegExp(`/projects/${project.id}/builds/[^/]+$`));
  const bar = page.getByRole("progressbar", { name: "Build progress" });
  // Live: the bar is seen strictly between empty and full while the phases run.
  await expect
    .poll(async () => Number(await bar.getAttribute("aria-valuenow")), { timeout: 120_000, intervals: [250] })
    .toBeGreaterThan(0);
  expect(Number(await bar.getAttribute("aria-valuenow"))).toBeLessThan(100);
  await expect(bar).toHaveAttribute("data-state", "building");
  await expect(page.getByTestId("build-state")).toHaveText("success", { timeout: 240_000 });
  await expect(bar).toHaveAttribute("aria-valuenow", "100");
  await expect(page.getByTestId("build-error")).toHaveCount(0);
  for (const phase of ["code", "image", "database", "install", "tests", "serve"]) {
    await expect(page.getByTestId(`phase-${phase}`)).toHaveAttribute("data-status", /DONE|SKIPPED/);
  }
  await expect(page.getByTestId("phase-serve")).toHaveAttribute("data-status", "DONE");
  await expect(page.getByRole("button", { name: "Connect", exact: true })).toBeVisible();
}

test("a signed push builds green in development, moves to production on the board, builds green there", async ({
  page,
}, testInfo) => {
  test.setTimeout(600_000);
  const shot = (name: string) =>
    page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
  const project = await setup.project("Journey");
  // Connected with a token: Gantry registers its webhook (with a secret of its own) on GitHub.
  const repo = await connectToStandin(setup.api, gh, project);
  const first = await setup.head(project, "main");
  // The next commit on main: the fixture's "bump" branch is main plus one commit.
  const second = await setup.head(project, "bump");

  // The first push of main: a new branch, in development, its build queued.
  await signIn(page, setup.admin);
  expect(
    await deliverPush(
      page,
      repo,
      pushPayload(project.repository, "main", "0".repeat(40), first, "Start ACME"),
    ),
  ).toMatchObject({
    outcome: "build_queued",
  });
  await page.goto(`/projects/${project.id}`);
  const development = page.getByRole("region", { name: "development branches" });
  const production = page.getByRole("region", { name: "production branches" });
  await expect(development.getByTestId("branch-main")).toBeVisible();
  await expect(production.getByTestId("branch-main")).toHaveCount(0);
  await shot("01-pushed");

  await watchBuildToGreen(page, project, "Development builds", first);
  await expect(page.getByTestId("phase-tests")).toHaveAttribute("data-status", "DONE");
  // The log of a finished phase, streamed to its end.
  await page.getByRole("tab", { name: "tests.log" }).click();
  await expect(page.getByTestId("log-state")).toContainText("complete");
  await expect(page.getByTestId("log-lines")).toContainText("Modules loaded.");
  await shot("02-development-green");

  // On the board: main moves from development to production with its move control.
  await page.goto(`/projects/${project.id}`);
  await expect(development.getByTestId("build-state-main")).toHaveText(/success/);
  await page.getByLabel("Move main to").selectOption("PRODUCTION");
  await expect(page.getByRole("status")).toContainText("main moved to production");
  await expect(production.getByTestId("branch-main")).toBeVisible();
  await expect(development.getByTestId("branch-main")).toHaveCount(0);
  await shot("03-moved-to-production");

  // The next push of main is built as production: a database of its own, no tests, served.
  expect(
    await deliverPush(page, repo, pushPayload(project.repository, "main", first, second, "Bump acme_base")),
  ).toMatchObject({
    outcome: "build_queued",
  });
  await watchBuildToGreen(page, project, "Production builds", second);
  await expect(page.getByTestId("phase-tests")).toHaveAttribute("data-status", "SKIPPED");
  await expect(page.getByTestId("phase-tests")).toContainText("production: no tests");
  await expect(page.getByTestId("phase-database")).toContainText("new production database");
  await page.getByRole("tab", { name: "install.log" }).click();
  await expect(page.getByTestId("log-lines")).toContainText("Modules loaded.");
  await shot("04-production-green");

  // GitHub heard of both: each commit's status ends green.
  const stateOf = (sha: string) => repo.statuses.filter((s) => s.sha === sha).at(-1)?.state;
  await expect.poll(() => stateOf(first)).toBe("success");
  await expect.poll(() => stateOf(second)).toBe("success");
  await page.goto(`/projects/${project.id}`);
  await expect(production.getByTestId("build-state-main")).toHaveText(/success/);
  await shot("05-board");
});
