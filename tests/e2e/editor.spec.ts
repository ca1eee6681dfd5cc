// The Editor tab as people use it: on a served development build, open a module's file from
// the tree, edit it in CodeMirror, save with Ctrl-S, update the module on the running build,
// look at the diff, then commit & push: the commit lands on the branch under the signed-in
// person's name and the push builds the branch again. On production the checkout is read-only.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect, test } from "@playwright/test";
import { signIn } from "./fixtures/auth";
import { queueBuild, waitServed } from "./fixtures/builds";
import { sql } from "./fixtures/db";
import { type ProjectSetup, projectSetup } from "./fixtures/project";

const run = promisify(execFile);
let setup: ProjectSetup;

test.beforeAll(async () => {
  setup = await projectSetup("Editor");
});

test.afterAll(async () => {
  await setup?.close();
});

test("edit a file of a development build, update its module, commit, and the push builds the branch", async ({
  page,
}, testInfo) => {
  test.setTimeout(600_000);
  const shot = (name: string) =>
    page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
  const project = await setup.project("Editor");
  const branch = await setup.branch(project, "main", "DEVELOPMENT");
  const before = await setup.head(project, "main");
  const build = await queueBuild(project, branch.id, "DEVELOPMENT", before);
  await waitServed(setup.api, build.id);

  await signIn(page, setup.admin);
  await page.goto(`/projects/${project.id}/builds/${build.id}`);
  await page.getByRole("tab", { name: "editor", exact: true }).click();
  const tree = page.getByTestId("editor-tree");
  await tree.locator('[data-path="acme_base"]').click();
  await tree.locator('[data-path="acme_base/__init__.py"]').click();
  const code = page.locator('[data-testid="editor-code"][data-path="acme_base/__init__.py"] .cm-content');
  await expect(code).toBeVisible();
  await code.click();
  await page.keyboard.press("Control+End");
  await page.keyboard.type("# edited in the browser");
  await expect(page.getByTestId("editor-path")).toContainText("•");
  await page.keyboard.press("Control+s");
  await expect(page.getByTestId("editor-notice")).toHaveText("Saved acme_base/__init__.py");
  await expect(page.getByTestId("editor-changes")).toContainText("acme_base/__init__.py");
  await shot("01-edited");

  // The module of the open file, updated on the running build (and its Odoo restarted).
  await page.getByRole("button", { name: "Update acme_base" }).click();
  await expect(page.getByTestId("editor-update-result")).toHaveAttribute("data-state", "updated", {
    timeout: 180_000,
  });
  const updateLog = await setup.api.get(`/api/v1/builds/${build.id}/logs/update.log`);
  expect(updateLog.status()).toBe(200);
  expect(await updateLog.text()).toContain(`--- editor: -u acme_base asked by ${setup.admin.email}`);
  await shot("02-module-updated");

  // The build's terminal beside the editor.
  await page.getByRole("button", { name: "Terminal" }).click();
  await expect(page.getByTestId("shell-status")).toHaveAttribute("data-state", "ready", { timeout: 60_000 });
  await expect(page.locator(".xterm-rows")).toContainText("main:~$");
  await shot("03-terminal");

  await page.getByRole("button", { name: "Diff", exact: true }).click();
  const diff = page.getByTestId("editor-diff");
  await expect(diff.locator(".cm-changedLine").first()).toBeVisible();
  await expect(diff).toContainText("# edited in the browser");
  await shot("04-diff");

  await page.getByLabel("Commit message").fill("Edit acme_base in the browser");
  await page.getByRole("button", { name: "Commit & push" }).click();
  await expect(page.getByTestId("editor-committed")).toContainText("Pushed");
  await shot("05-committed");

  const after = await setup.head(project, "main");
  expect(after).not.toBe(before);
  const { stdout } = await run("git", [
    "--git-dir",
    project.gitDir,
    "log",
    "-1",
    "--format=%an|%ae|%s",
    "main",
  ]);
  expect(stdout.trim()).toBe(`${setup.admin.name}|${setup.admin.email}|Edit acme_base in the browser`);

  // The push builds the branch: a new build of the new commit, which serves.
  const builds = (await (
    await setup.api.get(`/api/v1/projects/${project.id}/builds`, { params: { branchId: branch.id } })
  ).json()) as { builds: { id: string; commitSha: string }[] };
  const pushed = builds.builds.find((b) => b.commitSha === after);
  expect(pushed, JSON.stringify(builds)).toBeDefined();
  await page.getByRole("link", { name: "Its build" }).click();
  await expect(page).toHaveURL(new RegExp(`/builds/${pushed!.id}$`));
  await waitServed(setup.api, pushed!.id);
  await page.reload();
  await expect(page.getByRole("progressbar", { name: "Build progress" })).toHaveAttribute(
    "aria-valuenow",
    "100",
  );
  await shot("06-new-build");

  // The same build seen as production: the checkout opens read-only.
  await sql(`UPDATE "Build" SET stage = 'PRODUCTION' WHERE id = $1`, [pushed!.id]);
  await page.goto(`/projects/${project.id}/builds/${pushed!.id}`);
  await page.getByRole("tab", { name: "editor", exact: true }).click();
  await expect(page.getByTestId("editor-read-only")).toContainText("read-only");
  await tree.locator('[data-path="acme_base"]').click();
  await tree.locator('[data-path="acme_base/__init__.py"]').click();
  await expect(page.locator('[data-testid="editor-code"] .cm-content')).toHaveAttribute(
    "contenteditable",
    "false",
  );
  await expect(page.getByRole("button", { name: "Commit & push" })).toHaveCount(0);
  await shot("07-production-read-only");
});
