// The Shell tab as people use it: on a served development build, a terminal in the browser runs
// `echo $((6*7))` and shows 42; once the branch is production the frame is red, an Admin still
// gets a terminal, and a User gets the refusal without any socket being opened.
import { expect, type Page, test } from "@playwright/test";
import { createUser, signedIn, signIn, type TestUser } from "./fixtures/auth";
import { queueBuild, waitServed } from "./fixtures/builds";
import { sql } from "./fixtures/db";
import { type ProjectSetup, projectSetup } from "./fixtures/project";

let setup: ProjectSetup;
let user: TestUser;

test.beforeAll(async () => {
  setup = await projectSetup("Sheller");
  user = await createUser(setup.api, "ShellUser");
});

test.afterAll(async () => {
  await setup?.close();
});

async function openShellTab(page: Page, projectId: string, buildId: string) {
  await page.goto(`/projects/${projectId}/builds/${buildId}`);
  await page.getByRole("tab", { name: "shell", exact: true }).click();
}

async function typeInTerminal(page: Page, text: string) {
  await page.getByTestId("shell-terminal").click();
  await page.keyboard.type(text);
  await page.keyboard.press("Enter");
}

test("a build's shell in the browser, framed by stage, refused to a User on production", async ({
  page,
}, testInfo) => {
  test.setTimeout(400_000);
  const shot = (name: string) =>
    page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
  const project = await setup.project("Shell");
  const branch = await setup.branch(project, "main", "DEVELOPMENT");
  const build = await queueBuild(project, branch.id, "DEVELOPMENT", await setup.head(project, "main"));
  await waitServed(setup.api, build.id);
  const added = await setup.api.post(`/api/v1/projects/${project.id}/collaborators`, {
    data: { email: user.email, role: "USER" },
  });
  expect(added.status(), await added.text()).toBe(201);

  await signIn(page, setup.admin);
  await openShellTab(page, project.id, build.id);
  const frame = page.getByTestId("shell-frame");
  await expect(frame).toHaveAttribute("data-stage", "DEVELOPMENT");
  await expect(page.getByTestId("shell-status")).toHaveAttribute("data-state", "ready", { timeout: 60_000 });
  const screen = page.locator(".xterm-rows");
  await expect(screen).toContainText("main:~$");
  await typeInTerminal(page, "echo $((6*7))");
  await expect(screen.locator("div").filter({ hasText: /^42\s*$/ })).toHaveCount(1);
  await shot("01-development");

  // The same build once its branch is production: the frame turns red.
  await sql(`UPDATE "Branch" SET stage = 'PRODUCTION' WHERE id = $1`, [branch.id]);
  await sql(`UPDATE "Build" SET stage = 'PRODUCTION' WHERE id = $1`, [build.id]);
  await openShellTab(page, project.id, build.id);
  await expect(frame).toHaveAttribute("data-stage", "PRODUCTION");
  await expect(frame).toHaveCSS("border-top-color", "rgb(220, 38, 38)");
  await expect(page.getByTestId("shell-status")).toHaveAttribute("data-state", "ready", { timeout: 60_000 });
  await typeInTerminal(page, "echo prod-$((40+2))");
  await expect(screen).toContainText("prod-42");
  await shot("02-production");

  // A User on production: the refusal, and no socket (the API refuses the ticket as well).
  await page.context().clearCookies();
  const sockets: string[] = [];
  page.on("websocket", (ws) => sockets.push(ws.url()));
  await signIn(page, user);
  await openShellTab(page, project.id, build.id);
  await expect(page.getByTestId("shell-refused")).toContainText("does not open a shell on production builds");
  await expect(page.getByTestId("shell-terminal")).toHaveCount(0);
  await shot("03-refused");
  const asUser = await signedIn(user);
  expect((await asUser.post(`/api/v1/builds/${build.id}/shell`, { data: {} })).status()).toBe(403);
  await asUser.dispose();
  expect(sockets.filter((url) => url.includes("/shell"))).toEqual([]);
});
