// GitHub's own deliveries, sent by the stand-in to the running web app over HTTP: a push lists
// a branch, "Redeliver" in the settings makes GitHub send the same delivery again (answered as
// a duplicate), a deleted development branch leaves the board, and a deleted production branch
// stays on it, flagged, its build kept. The web server must use the stand-in as its GitHub API.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { makeFixtureRepos } from "../integration/github-flow/fixture-repos";
import {
  type GithubStandin,
  type StandinRepo,
  startGithubStandin,
  webhookExample,
} from "../support/github-standin";
import { anonymous, createUser, runId, signedIn, signIn, type TestUser } from "./fixtures/auth";

const STANDIN_PORT = 3199;
let gh: GithubStandin;
let reposDir: string;
let admin: TestUser;
let standinRepo: StandinRepo;
const owner = "acme";
const repo = `hooks-${runId}`;

test.beforeAll(async () => {
  reposDir = await mkdtemp(join(tmpdir(), "gantry-e2e-repos-"));
  await makeFixtureRepos(reposDir);
  gh = await startGithubStandin({ port: STANDIN_PORT });
  standinRepo = gh.addRepo({
    owner,
    name: repo,
    gitDir: join(reposDir, "acme17.git"),
    defaultBranch: "main",
  });
  const api = await anonymous();
  admin = await createUser(api, "Hooks", { isAdmin: true });
  await api.dispose();
});

test.afterAll(async () => {
  await gh?.close();
  if (reposDir) await rm(reposDir, { recursive: true, force: true });
});

const full = { full_name: `${owner}/${repo}` };

function push(branch: string, after: string) {
  const base = webhookExample("push", (p) => (p.head_commit as unknown) !== null);
  return {
    ...base,
    ref: `refs/heads/${branch}`,
    before: "0".repeat(40),
    after,
    created: true,
    deleted: false,
    forced: false,
    commits: [],
    head_commit: { ...(base.head_commit as object), id: after, message: "Start the feature" },
    repository: { ...(base.repository as object), ...full },
  };
}

function deleted(branch: string) {
  const base = webhookExample("delete");
  return {
    ...base,
    ref: branch,
    ref_type: "branch",
    repository: { ...(base.repository as object), ...full },
  };
}

test("GitHub's deliveries: listed, redelivered, branches deleted on GitHub", async ({ page }, testInfo) => {
  const shot = (name: string) =>
    page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
  const api = await signedIn(admin);
  const created = await api.post("/api/v1/projects", {
    data: { name: `Hooks ${runId}`, repository: `${owner}/${repo}` },
  });
  expect(created.status(), await created.text()).toBe(201);
  const projectId = ((await created.json()) as { id: string }).id;
  const connected = await api.put(`/api/v1/projects/${projectId}/github`, {
    data: { kind: "token", token: gh.token },
  });
  expect(connected.status(), await connected.text()).toBe(200);
  expect((await api.post(`/api/v1/projects/${projectId}/github/sync`)).status()).toBe(200);
  await api.dispose();

  // GitHub sends a push to the hook it was given: the real route answers, the branch appears.
  const branch = `feature-${runId}`;
  const [sent] = await gh.deliver(standinRepo, "push", push(branch, "e".repeat(40)));
  expect(sent).toMatchObject({ status_code: 200 });
  await signIn(page, admin);
  await page.goto(`/projects/${projectId}`);
  const development = page.getByRole("region", { name: "development branches" });
  await expect(development.getByTestId(`branch-${branch}`)).toBeVisible();

  // Redeliver from the settings: GitHub sends the same delivery again, Gantry applies it once.
  await page.goto(`/projects/${projectId}/settings`);
  const table = page.getByRole("table", { name: "Webhook deliveries" });
  const row = table.getByRole("row").filter({ hasText: "build_queued" });
  await expect(row).toHaveCount(1);
  await row.getByRole("button", { name: "Redeliver" }).click();
  await expect(page.getByRole("status")).toContainText(`GitHub was asked to redeliver ${sent!.guid}`);
  await expect
    .poll(
      () =>
        standinRepo.hooks[0]!.deliveries.find((d) => d.guid === sent!.guid && d.redelivery)?.response.payload,
    )
    .toContain('"outcome":"duplicate"');
  await page.reload();
  await expect(table.getByRole("row").filter({ hasText: "build_queued" })).toHaveCount(1);
  await shot("01-redelivered");

  // Deleted on GitHub: the development branch leaves the board; production stays, flagged.
  await gh.deliver(standinRepo, "delete", deleted(branch));
  await gh.deliver(standinRepo, "delete", deleted("main"));
  await page.goto(`/projects/${projectId}`);
  await expect(development.getByTestId(`branch-${branch}`)).toHaveCount(0);
  await expect(
    page.getByRole("navigation", { name: "Branches" }).getByRole("link", { name: branch }),
  ).toHaveCount(0);
  const production = page.getByRole("region", { name: "production branches" }).getByTestId("branch-main");
  await expect(production).toBeVisible();
  await expect(production).toContainText("deleted on GitHub");
  await expect(
    page
      .getByRole("navigation", { name: "Branches" })
      .getByRole("link", { name: /^main\s*\(deleted on GitHub\)$/ }),
  ).toBeVisible();
  await shot("02-deleted-on-github");
  await page.goto(`/projects/${projectId}/settings`);
  await expect(table).toContainText("production_kept");
  await expect(table).toContainText("branch_deleted");
  await shot("03-deliveries-after-delete");
});
