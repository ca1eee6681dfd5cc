// Pull-request previews seen in the browser: the board's previews section is empty at first;
// an Admin allows forks (the form warns that a fork's code is a stranger's) and sets the limit;
// GitHub (the stand-in, over HTTP) sends a pull request of the repository and one from a fork;
// the board lists both with their number linking to the pull request, their title, the fork's
// badge and their build's state, then the preview's address once it serves. A Developer sees the
// previews but may not change the settings.
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect, test } from "@playwright/test";
import {
  type GithubStandin,
  pullRequestPayload,
  type StandinRepo,
  startGithubStandin,
} from "../support/github-standin";
import { createUser, signedIn, signIn } from "./fixtures/auth";
import { connectToStandin, STANDIN_PORT } from "./fixtures/github";
import { type LocalProject, type ProjectSetup, projectSetup } from "./fixtures/project";

const run = promisify(execFile);
let setup: ProjectSetup;
let gh: GithubStandin;
let project: LocalProject;
let repo: StandinRepo;

interface Listed {
  settings: { mode: string; forks: boolean; limit: number };
  previews: Array<{
    number: number;
    build: { status: string; result: string | null; url: string | null } | null;
  }>;
}

/** A stranger's commit on top of main, kept as GitHub keeps a fork's head: refs/pull/N/head. */
async function forkCommit(gitDir: string, number: number): Promise<string> {
  const work = await mkdtemp(join(tmpdir(), "gantry-e2e-fork-"));
  try {
    await run("git", ["clone", "-q", "--branch", "main", gitDir, work]);
    await writeFile(join(work, "FORK.md"), "a stranger's change\n");
    const git = (...args: string[]) =>
      run("git", ["-C", work, "-c", "user.name=Stranger", "-c", "user.email=s@example.com", ...args]);
    await git("add", "FORK.md");
    await git("commit", "-q", "-m", "A change from a fork");
    await git("push", "-q", "origin", `HEAD:refs/pull/${number}/head`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return (await run("git", ["--git-dir", gitDir, "rev-parse", `refs/pull/${number}/head`])).stdout.trim();
}

test.beforeAll(async () => {
  setup = await projectSetup("Previewer");
  gh = await startGithubStandin({ port: STANDIN_PORT });
});

test.afterAll(async () => {
  await setup?.close();
  await gh?.close();
});

test("the board lists pull-request previews; an Admin sets forks and the limit", async ({
  page,
}, testInfo) => {
  test.setTimeout(420_000);
  const shot = (name: string) =>
    page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
  project = await setup.project("Previews");
  repo = await connectToStandin(setup.api, gh, project);

  await signIn(page, setup.admin);
  await page.goto(`/projects/${project.id}`);
  const section = page.getByRole("region", { name: "Pull-request previews" });
  await expect(section).toContainText("No open pull request");
  await expect(section).toContainText("0 of 5 awake");
  await shot("01-no-previews");

  await page.goto(`/projects/${project.id}/settings`);
  const form = page.getByRole("form", { name: "Pull-request previews" });
  await expect(form.getByLabel("Preview mode")).toHaveValue("DEVELOPMENT");
  await expect(form.getByLabel("Preview mode").locator("option")).toHaveText([
    "Off",
    "Development build",
    "Copy of production (latest verified backup)",
  ]);
  const warning = form.getByRole("note");
  await expect(warning).toBeHidden();
  await form.getByRole("checkbox", { name: "Preview pull requests from forks" }).check();
  await expect(warning).toContainText("A fork's code is a stranger's");
  await form.getByLabel("Preview limit").fill("3");
  await form.getByRole("button", { name: "Save preview settings" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Preview settings saved" })).toBeVisible();
  await expect(form.getByRole("checkbox", { name: "Preview pull requests from forks" })).toBeChecked();
  await shot("02-settings");
  await page.reload();
  await expect(form.getByRole("checkbox", { name: "Preview pull requests from forks" })).toBeChecked();
  await expect(form.getByLabel("Preview limit")).toHaveValue("3");
  await expect(warning).toBeVisible();
  const saved = (await (await setup.api.get(`/api/v1/projects/${project.id}/previews`)).json()) as Listed;
  expect(saved.settings).toEqual({ mode: "DEVELOPMENT", forks: true, limit: 3 });

  // GitHub sends a pull request of the repository's own branch and one from a fork.
  const own = await setup.head(project, "nobump");
  const [first] = await gh.deliver(
    repo,
    "pull_request",
    pullRequestPayload(
      project.repository,
      "opened",
      5,
      { ref: "nobump", sha: own },
      { title: "Add the nobump module" },
    ),
  );
  expect(first).toMatchObject({ status_code: 200 });
  const forkSha = await forkCommit(project.gitDir, 9);
  const [second] = await gh.deliver(
    repo,
    "pull_request",
    pullRequestPayload(
      project.repository,
      "opened",
      9,
      { ref: "main", sha: forkSha, repository: "stranger/fork" },
      { title: "A stranger's change" },
    ),
  );
  expect(second).toMatchObject({ status_code: 200 });

  await page.goto(`/projects/${project.id}`);
  const pr5 = section.getByTestId("preview-5");
  const pr9 = section.getByTestId("preview-9");
  await expect(pr5.getByRole("link", { name: "#5", exact: true })).toHaveAttribute(
    "href",
    `https://github.com/${project.repository}/pull/5`,
  );
  await expect(pr5).toContainText("Add the nobump module");
  await expect(pr5.getByText("fork", { exact: true })).toHaveCount(0);
  await expect(pr5.getByRole("link", { name: "nobump" })).toBeVisible();
  await expect(pr9.getByRole("link", { name: "#9", exact: true })).toHaveAttribute(
    "href",
    `https://github.com/${project.repository}/pull/9`,
  );
  await expect(pr9).toContainText("A stranger's change");
  await expect(pr9.getByText("fork", { exact: true })).toBeVisible();
  await expect(pr9.getByRole("link", { name: "pr-9" })).toBeVisible();
  await expect(pr5.getByTestId("build-state")).toHaveText(/queued|building|success/);
  await shot("03-previews-queued");

  // Both previews serve; the board shows their state and address.
  await expect
    .poll(
      async () => {
        const listed = (await (
          await setup.api.get(`/api/v1/projects/${project.id}/previews`)
        ).json()) as Listed;
        return listed.previews.map((p) => [p.number, p.build?.status, p.build?.result]);
      },
      { timeout: 360_000, intervals: [2000] },
    )
    .toEqual([
      [9, "DONE", "SUCCESS"],
      [5, "DONE", "SUCCESS"],
    ]);
  const listed = (await (await setup.api.get(`/api/v1/projects/${project.id}/previews`)).json()) as Listed;
  const url5 = listed.previews.find((p) => p.number === 5)?.build?.url;
  expect(url5).toBeTruthy();
  await page.reload();
  await expect(pr5.getByTestId("build-state")).toHaveText("success");
  await expect(pr5.getByRole("link", { name: "Open preview" })).toHaveAttribute("href", url5!);
  await expect(pr9.getByTestId("build-state")).toHaveText("success");
  await expect(section).toContainText("2 of 3 awake");
  await shot("04-previews-served");

  // A Developer sees the previews; the settings are the Admin's.
  const dev = await createUser(setup.api, "PreviewDev");
  const added = await setup.api.post(`/api/v1/projects/${project.id}/collaborators`, {
    data: { email: dev.email, role: "DEVELOPER" },
  });
  expect(added.status(), await added.text()).toBe(201);
  const devApi = await signedIn(dev);
  const refused = await devApi.patch(`/api/v1/projects/${project.id}/previews`, { data: { limit: 50 } });
  expect(refused.status()).toBe(403);
  await devApi.dispose();
  await page.context().clearCookies();
  await signIn(page, dev);
  await page.goto(`/projects/${project.id}`);
  await expect(section.getByTestId("preview-9")).toBeVisible();
  await expect(section.getByRole("link", { name: "settings" })).toHaveCount(0);
  const settingsPage = await page.goto(`/projects/${project.id}/settings`);
  expect(settingsPage?.status()).toBe(404);
});
