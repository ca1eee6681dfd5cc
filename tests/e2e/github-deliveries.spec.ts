// GitHub's own deliveries, sent by the stand-in to the running web app over HTTP: a push lists
// a branch, "Redeliver" in the settings makes GitHub send the same delivery again (answered as
// a duplicate), a deleted development branch leaves the board, and a deleted production branch
// stays on it, flagged, its build kept. The web server must use the stand-in as its GitHub API.
import { expect, test } from "@playwright/test";
import {
  type GithubStandin,
  pushPayload,
  type StandinRepo,
  startGithubStandin,
  webhookExample,
} from "../support/github-standin";
import { runId, signIn } from "./fixtures/auth";
import { connectToStandin, STANDIN_PORT } from "./fixtures/github";
import { type LocalProject, type ProjectSetup, projectSetup } from "./fixtures/project";

let setup: ProjectSetup;
let gh: GithubStandin;
let project: LocalProject;
let standinRepo: StandinRepo;

test.beforeAll(async () => {
  setup = await projectSetup("Hooks");
  gh = await startGithubStandin({ port: STANDIN_PORT });
});

test.afterAll(async () => {
  await setup?.close();
  await gh?.close();
});

function deleted(branch: string) {
  const base = webhookExample("delete");
  return {
    ...base,
    ref: branch,
    ref_type: "branch",
    repository: { ...(base.repository as object), full_name: project.repository },
  };
}

test("GitHub's deliveries: listed, redelivered, branches deleted on GitHub", async ({ page }, testInfo) => {
  const shot = (name: string) =>
    page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
  project = await setup.project("Hooks");
  const projectId = project.id;
  standinRepo = await connectToStandin(setup.api, gh, project);
  expect((await setup.api.post(`/api/v1/projects/${projectId}/github/sync`)).status()).toBe(200);

  // GitHub sends a push to the hook it was given: the real route answers, the branch appears.
  const branch = `feature-${runId}`;
  const [sent] = await gh.deliver(
    standinRepo,
    "push",
    pushPayload(project.repository, branch, "0".repeat(40), "e".repeat(40), "Start the feature"),
  );
  expect(sent).toMatchObject({ status_code: 200 });
  await signIn(page, setup.admin);
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
