// Connecting a repository against the local GitHub stand-in, branches appearing after a signed
// push, and a branch dragged from development to staging. The web server must use the
// stand-in as its GitHub API: GITHUB_API_URL=http://127.0.0.1:3199.
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import {
  type GithubStandin,
  pushPayload,
  startGithubStandin,
  webhookRequest,
} from "../support/github-standin";
import { baseURL, runId, signIn } from "./fixtures/auth";
import { STANDIN_PORT } from "./fixtures/github";
import { type ProjectSetup, projectSetup } from "./fixtures/project";

let setup: ProjectSetup;
let gh: GithubStandin;
const owner = "acme";
const repo = `erp-${runId}`;

test.beforeAll(async () => {
  setup = await projectSetup("Owner");
  gh = await startGithubStandin({ port: STANDIN_PORT });
  gh.addRepo({ owner, name: repo, gitDir: join(setup.reposDir, "acme17.git"), defaultBranch: "main" });
});

test.afterAll(async () => {
  await gh?.close();
  await setup?.close();
});

test("connect a repository, see a pushed branch appear, drag it to staging", async ({
  page,
  request,
}, testInfo) => {
  const shot = (name: string) =>
    page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
  await signIn(page, setup.admin);
  const name = `ERP ${runId}`;
  await page.getByLabel("Project name").fill(name);
  await page.getByLabel("GitHub repository").fill(`${owner}/${repo}`);
  await page.getByRole("button", { name: "Create project" }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();
  const projectUrl = page.url();

  // Connect with a token: the stand-in gets a webhook pointing at Gantry and a read-only key.
  await page.getByRole("link", { name: "Settings", exact: true }).click();
  await expect(page.getByTestId("github-state")).toHaveText("not connected");
  await page.getByLabel("GitHub token").fill(gh.token);
  await page.getByRole("button", { name: "Connect repository" }).click();
  await expect(page.getByRole("status")).toContainText("Repository connected");
  await expect(page.getByTestId("github-state")).toHaveText("connected with a token");
  const standinRepo = gh.state.repos.get(`${owner}/${repo}`.toLowerCase())!;
  expect(standinRepo.hooks.map((h) => h.config.url)).toEqual([`${baseURL}/api/github/webhook`]);
  expect(standinRepo.keys.map((k) => k.read_only)).toEqual([true]);
  // The token is never shown back.
  expect(await page.content()).not.toContain(gh.token);

  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByTestId("check-repository-access")).toContainText("working");
  await expect(page.getByTestId("check-deploy-key")).toContainText("working");
  await expect(page.getByTestId("check-webhook")).toContainText("has not delivered any event yet");
  await page.getByRole("button", { name: "Sync branches" }).click();
  await expect(page.getByRole("status")).toContainText("Branches synced");
  await shot("01-settings-connected");

  // A push, signed exactly as GitHub signs it, to the real endpoint.
  const secret = standinRepo.hooks[0]!.config.secret!;
  const branch = `feature-${runId}`;
  const delivery = webhookRequest(
    "push",
    pushPayload(`${owner}/${repo}`, branch, "0".repeat(40), "c".repeat(40), "Start the feature"),
    secret,
  );
  const answer = await request.post("/api/github/webhook", {
    headers: delivery.headers,
    data: delivery.body,
  });
  expect(answer.status()).toBe(200);
  expect(await answer.json()).toMatchObject({ ok: true, outcome: "build_queued" });
  const replay = await request.post("/api/github/webhook", {
    headers: delivery.headers,
    data: delivery.body,
  });
  expect(await replay.json()).toMatchObject({ outcome: "duplicate" });
  const forged = webhookRequest(
    "push",
    pushPayload(`${owner}/${repo}`, "forged", "0".repeat(40), "d".repeat(40), "Start the feature"),
    "wrong-secret",
  );
  expect(
    (await request.post("/api/github/webhook", { headers: forged.headers, data: forged.body })).status(),
  ).toBe(401);

  // GitHub hears of the queued build: a commit status on the pushed commit, linking to Gantry.
  await expect
    .poll(() => standinRepo.statuses.find((st) => st.sha === "c".repeat(40))?.context ?? null)
    .toBe(`gantry/${branch}`);
  expect(standinRepo.statuses.find((st) => st.sha === "c".repeat(40))?.target_url).toContain(
    `${baseURL}/projects/`,
  );

  await page.goto(projectUrl);
  const development = page.getByRole("region", { name: "development branches" });
  const staging = page.getByRole("region", { name: "staging branches" });
  await expect(development.getByTestId(`branch-${branch}`)).toBeVisible();
  await expect(
    page.getByRole("region", { name: "production branches" }).getByTestId("branch-main"),
  ).toBeVisible();
  await expect(page.getByTestId("branch-forged")).toHaveCount(0);
  await expect(
    page.getByRole("navigation", { name: "Branches" }).getByRole("link", { name: branch }),
  ).toBeVisible();
  await shot("02-branch-appeared");

  // Drag from development to staging.
  await development.getByTestId(`branch-${branch}`).dragTo(staging);
  await expect(page.getByRole("status")).toContainText(`${branch} moved to staging`);
  await expect(staging.getByTestId(`branch-${branch}`)).toBeVisible();
  await expect(development.getByTestId(`branch-${branch}`)).toHaveCount(0);
  await shot("03-dragged-to-staging");

  // Production moves only to development: the menu offers nothing else.
  const prodMenu = page.getByLabel("Move main to");
  await expect(prodMenu.locator("option")).toHaveText(["Move to…", "development"]);

  // The branch page shows its build history; the delivery is listed in settings.
  await page.getByRole("navigation", { name: "Branches" }).getByRole("link", { name: branch }).click();
  await expect(page.getByRole("table", { name: "Builds" })).toContainText("ccccccc");
  await shot("04-branch-page");

  // Branch settings: the revisions of the series the worker recorded from the images (it looks
  // when it starts), the newest marked latest; pinning one shows until when it holds.
  const settings = page.getByRole("form", { name: "Branch settings" });
  const pinnedTo = settings.getByLabel("Pinned Odoo revision");
  await expect(async () => {
    await page.reload();
    await expect(pinnedTo).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 60_000 });
  await expect(pinnedTo.locator("option").first()).toHaveText(
    /^[0-9a-f]{12} · seen \d{4}-\d\d-\d\d · latest$/,
  );
  await settings.getByRole("radio", { name: /Pinned/ }).check();
  await settings.getByRole("button", { name: "Save branch settings" }).click();
  await expect(settings.getByRole("status")).toHaveText("Settings saved");
  await expect(settings).toContainText(/Pinned until \d{4}-\d\d-\d\d \(pins last three months\)/);
  await shot("04b-branch-pinned");
  await page.goto(`${projectUrl}/settings`);
  await expect(page.getByRole("table", { name: "Webhook deliveries" })).toContainText("build_queued");
  await shot("05-deliveries");
});
