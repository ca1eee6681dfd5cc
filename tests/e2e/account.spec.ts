import { expect, type Page, test } from "@playwright/test";
import { anonymous, baseURL, createUser, runId, signedIn, type TestUser } from "./fixtures/auth";

let admin: TestUser;
let projectId: string;
const projectName = `Invited shop ${runId}`;

test.beforeAll(async () => {
  const api = await anonymous();
  admin = await createUser(api, "Inviter", { isAdmin: true });
  await api.dispose();
  const asAdmin = await signedIn(admin);
  const project = await asAdmin.post("/api/v1/projects", {
    data: { name: projectName, repository: `acme/invited-${runId}` },
  });
  expect(project.status(), await project.text()).toBe(201);
  projectId = ((await project.json()) as { id: string }).id;
  for (const [name, stage] of [
    ["main", "PRODUCTION"],
    ["staging", "STAGING"],
  ] as const) {
    const branch = await asAdmin.post(`/api/v1/projects/${projectId}/branches`, { data: { name, stage } });
    expect(branch.status(), await branch.text()).toBe(201);
  }
  await asAdmin.dispose();
});

test("an invited email sets a password through the link, lands as Tester, then manages API tokens", async ({
  page,
  browser,
}, testInfo) => {
  const shot = (name: string, p: Page = page) =>
    p.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
  const email = `newcomer-${runId}@example.com`;
  const password = `pw-newcomer-${runId}`;

  // The Admin invites an email that has no account: the link is shown once, with the reason.
  await page.goto("/login");
  await page.getByLabel("Email").fill(admin.email);
  await page.getByLabel("Password").fill(admin.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/projects$/);
  await page.goto(`/projects/${projectId}/settings`);
  await page.getByLabel("Email or GitHub login").fill(email);
  await page.getByLabel("Role", { exact: true }).selectOption("TESTER");
  await page.getByRole("button", { name: "Invite" }).click();
  const linkBox = page.getByRole("status", { name: "Invitation link" });
  await expect(linkBox).toContainText("Gantry does not send email yet");
  const link = await page.getByTestId("invite-link").inputValue();
  expect(link).toMatch(new RegExp(`^${baseURL}/invite/[A-Za-z0-9_-]{20,}$`));
  await shot("01-admin-invite-link");
  // Shown once: after a reload only the pending row is left, never the link.
  await page.reload();
  await expect(page.getByText(`${email} (invited)`)).toBeVisible();
  await expect(page.getByTestId("invite-link")).toHaveCount(0);

  // The invited person, in a fresh browser with no session.
  const context = await browser.newContext();
  const guest = await context.newPage();
  await guest.goto(link);
  await expect(guest.getByRole("heading", { name: `Join ${projectName}` })).toBeVisible();
  await expect(guest.getByTestId("invited-role")).toHaveText("Tester");
  await shot("02-invitation-page", guest);
  await guest.getByLabel("Your name").fill("New Comer");
  await guest.getByLabel("Password", { exact: true }).fill("short");
  await guest.getByLabel("Password again").fill("short");
  await guest.getByRole("button", { name: "Create account and join" }).click();
  // The browser's own check (minLength) keeps the form from being sent.
  await expect(guest).toHaveURL(link);
  await guest.getByLabel("Password", { exact: true }).fill(password);
  await guest.getByLabel("Password again").fill(password);
  await guest.getByRole("button", { name: "Create account and join" }).click();
  await expect(guest).toHaveURL(new RegExp(`/projects/${projectId}$`));
  await expect(guest.getByTestId("signed-in-as")).toContainText(email);
  // The Tester's view: staging tools, production history and settings, no project settings.
  await expect(guest.getByTestId("branch-main").getByRole("listitem")).toHaveText(["History", "Settings"]);
  await expect(guest.getByTestId("branch-staging").getByRole("listitem")).toHaveText([
    "History",
    "Connect",
    "Logs",
    "Shell",
    "Mails",
    "Settings",
    "Monitoring",
    "Backups",
  ]);
  await expect(guest.getByRole("link", { name: "Settings", exact: true })).toHaveCount(0);
  await shot("03-tester-project", guest);

  // The link works once.
  const again = await context.newPage();
  await again.goto(link);
  await expect(again.getByRole("heading", { name: "This invitation has already been used" })).toBeVisible();
  await shot("04-link-used", again);
  await again.close();

  // Account page: a token scoped to the project, shown once, usable, then revoked.
  await guest.getByRole("link", { name: "Account" }).click();
  await expect(guest).toHaveURL(/\/account$/);
  await guest.getByLabel("Name", { exact: true }).fill("ci deploy");
  await guest.getByRole("checkbox", { name: projectName }).check();
  await guest.getByLabel("Expires after").selectOption("30");
  await guest.getByRole("button", { name: "Create token" }).click();
  const token = await guest.getByTestId("new-token").inputValue();
  expect(token).toMatch(/^gty_/);
  await expect(guest.getByTestId("token-ci deploy")).toContainText(projectName);
  await expect(guest.getByTestId("token-ci deploy")).toContainText("active");
  await shot("05-account-token-created", guest);

  const api = await anonymous();
  const me = await api.get("/api/v1/me", { headers: { authorization: `Bearer ${token}` } });
  expect(me.status(), await me.text()).toBe(200);
  expect(await me.json()).toMatchObject({
    email,
    via: "token",
    memberships: { [projectId]: "TESTER" },
    tokenProjectIds: [projectId],
  });

  await guest.getByRole("button", { name: "Revoke ci deploy" }).click();
  await expect(guest.getByTestId("token-ci deploy")).toContainText("revoked");
  const after = await api.get("/api/v1/me", { headers: { authorization: `Bearer ${token}` } });
  expect(after.status()).toBe(401);
  await shot("06-account-token-revoked", guest);

  // Password change: the current password is checked, then the new one signs in.
  await guest.getByLabel("Current password").fill("not-my-password");
  await guest.getByLabel("New password", { exact: true }).fill(`${password}-2`);
  await guest.getByLabel("New password again").fill(`${password}-2`);
  await guest.getByRole("button", { name: "Change password" }).click();
  await expect(guest.getByRole("form", { name: "Change password" }).getByRole("alert")).toHaveText(
    "The current password is wrong.",
  );
  // The form is emptied after each attempt: passwords are typed again.
  await guest.getByLabel("Current password").fill(password);
  await guest.getByLabel("New password", { exact: true }).fill(`${password}-2`);
  await guest.getByLabel("New password again").fill(`${password}-2`);
  await guest.getByRole("button", { name: "Change password" }).click();
  await expect(guest.getByText("Password changed.")).toBeVisible();
  await shot("07-password-changed", guest);
  const fresh = await anonymous();
  const oldSignIn = await fresh.post("/api/auth/sign-in/email", { data: { email, password } });
  expect(oldSignIn.status()).toBe(401);
  const newSignIn = await fresh.post("/api/auth/sign-in/email", {
    data: { email, password: `${password}-2` },
  });
  expect(newSignIn.status(), await newSignIn.text()).toBe(200);
  await Promise.all([fresh.dispose(), api.dispose(), context.close()]);
});

test("a wrong or mistyped invitation link shows a clear error page", async ({ page }, testInfo) => {
  await page.goto("/invite/not-a-real-invitation-token-0000");
  await expect(page.getByRole("heading", { name: "This invitation link is not valid" })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("08-link-invalid.png"), fullPage: true });
  const api = await anonymous();
  const response = await api.post("/api/v1/invitations/not-a-real-invitation-token-0000/accept", {
    data: { name: "X", password: "whatever-password" },
  });
  expect(response.status()).toBe(404);
  expect(((await response.json()) as { error: { code: string } }).error.code).toBe("not_found");
  await api.dispose();
});
