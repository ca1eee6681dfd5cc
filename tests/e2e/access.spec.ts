import { expect, type Page, test } from "@playwright/test";
import { anonymous, createUser, runId, type TestUser } from "./fixtures/auth";

async function signInThroughForm(page: Page, user: { email: string; password: string }) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

let admin: TestUser;
let developer: TestUser;

test.beforeAll(async () => {
  const api = await anonymous();
  admin = await createUser(api, "Admin", { isAdmin: true });
  developer = await createUser(api, "Developer");
  await api.dispose();
});

test("an admin signs in, creates a project, invites a developer who then sees only what the role allows", async ({
  page,
  browser,
}, testInfo) => {
  const shot = (name: string, p: Page = page) =>
    p.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });

  // Pages need a session: the projects list sends visitors to the sign-in page.
  await page.goto("/projects");
  await expect(page).toHaveURL(/\/login\?next=%2Fprojects/);
  await signInThroughForm(page, admin);
  await expect(page).toHaveURL(/\/projects$/);
  await expect(page.getByTestId("signed-in-as")).toContainText(admin.email);
  await shot("01-admin-projects");

  // A name with markup is shown as text, never rendered.
  const name = `<b>Shop</b> ${runId}`;
  await page.getByLabel("Project name").fill(name);
  await page.getByLabel("GitHub repository").fill(`acme/shop-${runId}`);
  await page.getByRole("button", { name: "Create project" }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();
  expect(await page.locator("h1 b").count()).toBe(0);
  const projectUrl = page.url();

  for (const [branch, stage] of [
    ["main", "PRODUCTION"],
    ["staging", "STAGING"],
    ["feature-x", "DEVELOPMENT"],
  ] as const) {
    await page.getByLabel("Branch name").fill(branch);
    await page.getByLabel("Stage").selectOption(stage);
    await page.getByRole("button", { name: "Add branch" }).click();
    await expect(page.getByTestId(`branch-${branch}`)).toBeVisible();
  }
  await expect(page.getByTestId("branch-main").getByRole("listitem")).toHaveText([
    "History",
    "Connect",
    "Logs",
    "Shell",
    "Mails",
    "Settings",
    "Monitoring",
    "Backups",
    "Upgrade",
  ]);
  await shot("02-admin-project");

  await page.getByRole("link", { name: "Settings", exact: true }).click();
  await page.getByLabel("Email or GitHub login").fill(developer.email);
  await page.getByLabel("Role", { exact: true }).selectOption("DEVELOPER");
  await page.getByRole("button", { name: "Invite" }).click();
  await expect(page.getByTestId(`collaborator-${developer.email}`)).toBeVisible();
  await shot("03-admin-collaborators");

  await page.getByRole("link", { name: "Audit log" }).click();
  await expect(page.getByRole("table", { name: "Audit events" })).toContainText("collaborator.added");
  await shot("04-admin-audit");

  // The developer, in a separate browser context.
  const context = await browser.newContext();
  const dev = await context.newPage();
  await signInThroughForm(dev, developer);
  await expect(dev).toHaveURL(/\/projects$/);
  await expect(dev.getByRole("link", { name })).toBeVisible();
  await expect(dev.getByRole("textbox", { name: "Project name" })).toHaveCount(0);
  await dev.goto(projectUrl);
  await expect(dev.getByTestId("branch-main").getByRole("listitem")).toHaveText(["History", "Settings"]);
  await expect(dev.getByTestId("branch-staging").getByRole("listitem")).toHaveText(["History", "Settings"]);
  await expect(dev.getByTestId("branch-feature-x").getByRole("listitem")).toHaveText([
    "History",
    "Connect",
    "Logs",
    "Shell",
    "Mails",
    "Settings",
    // A development build's figures are its developer's (the Monitor issue's matrix).
    "Monitoring",
  ]);
  await expect(dev.getByRole("link", { name: "Settings" })).toHaveCount(0);
  await expect(dev.getByRole("button", { name: "Add branch" })).toHaveCount(0);
  await shot("05-developer-project", dev);
  const settings = await dev.goto(`${projectUrl}/settings`);
  expect(settings?.status()).toBe(404);

  await dev.getByRole("button", { name: "Sign out" }).click();
  await expect(dev).toHaveURL(/\/login/);
  await context.close();
});

test("a burst of wrong passwords locks sign-in with a clear message", async ({ page }, testInfo) => {
  const api = await anonymous();
  const victim = await createUser(api, "Victim");
  await api.dispose();
  for (let i = 0; i < 4; i++) {
    await signInThroughForm(page, { email: victim.email, password: `wrong-${i}` });
    await expect(page.locator("form [role=alert]")).toHaveText("Wrong email or password.");
  }
  await signInThroughForm(page, { email: victim.email, password: "wrong-again" });
  await expect(page.locator("form [role=alert]")).toContainText("Too many wrong passwords");
  // Locked even with the right password.
  await signInThroughForm(page, victim);
  await expect(page.locator("form [role=alert]")).toContainText("try again in");
  await page.screenshot({ path: testInfo.outputPath("06-locked.png") });
});
