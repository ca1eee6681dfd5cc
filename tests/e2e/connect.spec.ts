// Connect and Connect as, as people use them: on a served development build, Connect opens the
// build in a new tab logged into Odoo as its administrator, and Connect as opens it as the user
// picked from the build's own list; no password is typed anywhere. A User on production is
// offered neither.
import { expect, test } from "@playwright/test";
import { createUser, signedIn, signIn, type TestUser } from "./fixtures/auth";
import { queueBuild, waitServed } from "./fixtures/builds";
import { sql } from "./fixtures/db";
import { type ProjectSetup, projectSetup } from "./fixtures/project";

let setup: ProjectSetup;
let user: TestUser;

test.beforeAll(async () => {
  setup = await projectSetup("Connecter");
  user = await createUser(setup.api, "ConnectUser");
});

test.afterAll(async () => {
  await setup?.close();
});

test("Connect logs into the build as its administrator, Connect as as the chosen user", async ({
  page,
}, testInfo) => {
  test.setTimeout(400_000);
  const project = await setup.project("Connect");
  const branch = await setup.branch(project, "main", "DEVELOPMENT");
  const build = await queueBuild(project, branch.id, "DEVELOPMENT", await setup.head(project, "main"));
  await waitServed(setup.api, build.id);
  const added = await setup.api.post(`/api/v1/projects/${project.id}/collaborators`, {
    data: { email: user.email, role: "USER" },
  });
  expect(added.status(), await added.text()).toBe(201);

  await signIn(page, setup.admin);
  await page.goto(`/projects/${project.id}/builds/${build.id}`);
  const summary = page.getByRole("region", { name: "Build summary" });
  const [odoo] = await Promise.all([
    page.waitForEvent("popup"),
    summary.getByRole("button", { name: "Connect", exact: true }).click(),
  ]);
  await expect(odoo.locator(".oe_topbar_name")).toHaveText("admin", { timeout: 60_000 });
  expect(new URL(odoo.url()).pathname).toBe("/web");
  await odoo.screenshot({ path: testInfo.outputPath("01-connected-as-admin.png"), fullPage: true });
  await odoo.close();

  await summary.getByRole("button", { name: "Connect as…" }).click();
  const picker = summary.getByRole("combobox", { name: "Odoo user" });
  await expect(picker).toContainText("demo");
  await picker.selectOption({
    label: (await picker.locator("option", { hasText: "(demo)" }).textContent()) ?? "",
  });
  await page.screenshot({ path: testInfo.outputPath("02-connect-as-picker.png"), fullPage: true });
  const [asDemo] = await Promise.all([
    page.waitForEvent("popup"),
    summary.getByRole("button", { name: "Connect as", exact: true }).click(),
  ]);
  await expect(asDemo.locator(".oe_topbar_name")).toHaveText("demo", { timeout: 60_000 });
  await asDemo.screenshot({ path: testInfo.outputPath("03-connected-as-demo.png"), fullPage: true });
  await asDemo.close();

  // A User once the branch is production: no Connect on the page, and the API refuses.
  await sql(`UPDATE "Branch" SET stage = 'PRODUCTION' WHERE id = $1`, [branch.id]);
  await sql(`UPDATE "Build" SET stage = 'PRODUCTION' WHERE id = $1`, [build.id]);
  await page.context().clearCookies();
  await signIn(page, user);
  await page.goto(`/projects/${project.id}/builds/${build.id}`);
  await expect(page.getByRole("region", { name: "Build summary" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Connect", exact: true })).toHaveCount(0);
  const asUser = await signedIn(user);
  expect((await asUser.post(`/api/v1/builds/${build.id}/connect`, { data: {} })).status()).toBe(403);
  expect((await asUser.get(`/api/v1/builds/${build.id}/odoo-users`)).status()).toBe(403);
  await asUser.dispose();
});
