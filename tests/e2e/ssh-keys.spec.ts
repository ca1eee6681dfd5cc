// The SSH keys section of the account page: a pasted key appears with ssh-keygen's fingerprint,
// keys of a GitHub account are imported from GitHub's public keys (the local stand-in), the
// page shows the ssh command to use, and a key is removed.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { type GithubStandin, startGithubStandin } from "../support/github-standin";
import { anonymous, createUser, runId, signIn, type TestUser } from "./fixtures/auth";
import { STANDIN_PORT } from "./fixtures/github";

let user: TestUser;
let github: GithubStandin;
let keys: string;

/** A new key pair: its public line and the fingerprint ssh-keygen gives it. */
function keygen(name: string): { line: string; fingerprint: string } {
  const file = join(keys, name);
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", name, "-f", file]);
  const fingerprint = execFileSync("ssh-keygen", ["-lf", `${file}.pub`], { encoding: "utf8" }).split(" ")[1];
  return { line: readFileSync(`${file}.pub`, "utf8").trim(), fingerprint: fingerprint ?? "" };
}

test.beforeAll(async () => {
  const api = await anonymous();
  user = await createUser(api, "KeyHolder");
  await api.dispose();
  github = await startGithubStandin({ port: STANDIN_PORT });
  keys = mkdtempSync(join(tmpdir(), "gantry-e2e-keys-"));
});

test.afterAll(async () => {
  await github?.close();
  if (keys) rmSync(keys, { recursive: true, force: true });
});

test("SSH keys: pasted, imported from GitHub, removed", async ({ page }, testInfo) => {
  const pasted = keygen("laptop");
  const fromGithub = keygen("workstation");
  github.addUserKeys(`octo-${runId}`, [fromGithub.line]);

  await signIn(page, user);
  await page.goto("/account");
  const section = page.getByRole("region", { name: "SSH keys" });
  await expect(section).toContainText("No SSH keys yet.");
  await expect(section).toContainText("ssh BUILD@127.0.0.1 -p 3123");

  const add = section.getByRole("form", { name: "Add an SSH key" });
  await add.getByLabel("Title").fill("laptop");
  await add.getByLabel("Public key").fill(pasted.line);
  await add.getByRole("button", { name: "Add key" }).click();
  await expect(section.getByTestId(`ssh-key-${pasted.fingerprint}`)).toContainText("laptop");

  const importForm = section.getByRole("form", { name: "Import keys from GitHub" });
  await importForm.getByLabel("GitHub account").fill(`octo-${runId}`);
  await importForm.getByRole("button", { name: "Import from GitHub" }).click();
  await expect(section.getByRole("status")).toContainText("1 key(s) imported");
  await expect(section.getByTestId(`ssh-key-${fromGithub.fingerprint}`)).toContainText("(GitHub)");
  await page.screenshot({ path: testInfo.outputPath("01-ssh-keys.png"), fullPage: true });

  // The same key again, pasted: it is already this account's, nothing changes.
  await add.getByLabel("Public key").fill(fromGithub.line);
  await add.getByRole("button", { name: "Add key" }).click();
  await expect(section.locator("tbody tr")).toHaveCount(2);

  await section.getByRole("button", { name: "Remove laptop" }).click();
  await expect(section.getByTestId(`ssh-key-${pasted.fingerprint}`)).toHaveCount(0);
  await expect(section.locator("tbody tr")).toHaveCount(1);
});
