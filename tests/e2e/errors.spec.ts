// The Errors tab: two builds of a branch whose at_install test fails, run by the worker, each
// failing with the same traceback in its own database; the tab lists that error once, with its
// count, and the group page links each occurrence to its line in the build's log viewer.
import { expect, test } from "@playwright/test";
import { signIn } from "./fixtures/auth";
import { queueBuild } from "./fixtures/builds";
import { type ProjectSetup, projectSetup } from "./fixtures/project";

let setup: ProjectSetup;

test.beforeAll(async () => {
  setup = await projectSetup("Errors");
});

test.afterAll(async () => {
  await setup?.close();
});

async function waitEnded(buildId: string): Promise<void> {
  await expect
    .poll(
      async () =>
        ((await (await setup.api.get(`/api/v1/builds/${buildId}`)).json()) as { status: string }).status,
      { timeout: 300_000, intervals: [1000] },
    )
    .toBe("DONE");
}

test("the Errors page lists a group with its count, and its page links to the log line", async ({
  page,
}, testInfo) => {
  test.setTimeout(720_000);
  const shot = (name: string) =>
    page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
  const project = await setup.project("Errors");
  await signIn(page, setup.admin);
  // Before any build: the empty state.
  await page.goto(`/projects/${project.id}/errors`);
  await expect(page.getByText("No errors found in the logs you can read.")).toBeVisible();

  const branch = await setup.branch(project, "fail-at-install", "DEVELOPMENT");
  const sha = await setup.head(project, "fail-at-install");
  const first = await queueBuild(project, branch.id, "DEVELOPMENT", sha);
  await waitEnded(first.id);
  const second = await queueBuild(project, branch.id, "DEVELOPMENT", sha);
  await waitEnded(second.id);

  await page.goto(`/projects/${project.id}/errors`);
  const row = page
    .getByTestId("error-group")
    .filter({ hasText: "FAIL: TestFailing.test_budget_is_positive" });
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId("error-count")).toHaveText("2");
  await expect(row).toContainText("fail-at-install");
  await expect(row).toContainText("AssertionError");
  await shot("01-errors");

  // The API says the same.
  const listed = (await (
    await setup.api.get(`/api/v1/projects/${project.id}/errors?search=test_budget_is_positive`)
  ).json()) as { groups: { count: number }[]; total: number };
  expect(listed.groups.map((g) => g.count)).toEqual([2]);

  await row.getByRole("link").first().click();
  await expect(
    page.getByRole("heading", { name: /FAIL: TestFailing\.test_budget_is_positive/ }),
  ).toBeVisible();
  await expect(page.getByTestId("error-count")).toHaveText("2");
  const occurrences = page.getByRole("list", { name: "Occurrences" }).getByRole("listitem");
  await expect(occurrences).toHaveCount(2);
  await shot("02-group");

  // An occurrence opens its build's log at the record's line, marked.
  await occurrences
    .first()
    .getByRole("link", { name: /^tests\.log:\d+$/ })
    .click();
  await expect(page).toHaveURL(/\?log=tests\.log&line=\d+$/);
  const marked = page.locator('[data-focus="true"]');
  await expect(marked).toContainText("FAIL: TestFailing.test_budget_is_positive");
  await shot("03-log-line");
});
