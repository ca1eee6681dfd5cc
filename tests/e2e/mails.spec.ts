// The Mails tab of a development build: a mail the build sends to the catcher (logged in with
// the build's own credentials, as Odoo does) shows in the list, its HTML in a sandboxed frame,
// its text, headers and attachment; search narrows the list; another build shows the empty state.
import { expect, test } from "@playwright/test";
import { createTransport } from "nodemailer";
import { anonymous, createUser, runId, signedIn, signIn, type TestUser } from "./fixtures/auth";
import { sql } from "./fixtures/db";

let admin: TestUser;

test.beforeAll(async () => {
  const anon = await anonymous();
  admin = await createUser(anon, "Reader", { isAdmin: true });
  await anon.dispose();
});

async function developmentBuild(projectId: string, branchId: string): Promise<string> {
  const [row] = await sql(
    `INSERT INTO "Build" (id, "projectId", "branchId", stage, "commitSha", status, result, "finishedAt")
     VALUES ($1, $2, $3, 'DEVELOPMENT', $4, 'DONE', 'SUCCESS', now()) RETURNING id`,
    [`mails${runId}${Math.random().toString(36).slice(2, 8)}`, projectId, branchId, "b".repeat(40)],
  );
  return (row as { id: string }).id;
}

test("a build's caught mail in its Mails tab", async ({ page }, testInfo) => {
  const shot = (name: string) =>
    page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
  const api = await signedIn(admin);
  const name = `Mails ${runId}`;
  const created = await api.post("/api/v1/projects", { data: { name, repository: `acme/mails-${runId}` } });
  expect(created.status(), await created.text()).toBe(201);
  const project = (await created.json()) as { id: string; name: string };
  try {
    const branchAnswer = await api.post(`/api/v1/projects/${project.id}/branches`, {
      data: { name: "feature", stage: "DEVELOPMENT" },
    });
    expect(branchAnswer.status(), await branchAnswer.text()).toBe(201);
    const branch = (await branchAnswer.json()) as { id: string };
    const sender = await developmentBuild(project.id, branch.id);
    const quiet = await developmentBuild(project.id, branch.id);

    // The login the serve phase gives the build, and the worker's catcher on MAIL_CATCHER_SMTP.
    const { issueMailLogin } = await import("@gantry/core");
    const login = await issueMailLogin(sender);
    const transport = createTransport({
      host: "127.0.0.1",
      port: 2525,
      ignoreTLS: true,
      auth: { user: login.user, pass: login.password },
    });
    await transport.sendMail({
      from: "Acme <sales@acme.example.com>",
      to: "customer@example.com",
      subject: "Quotation S00042",
      text: "Dear customer, your quotation is attached.",
      html: '<h1 style="color:#4338ca">Quotation S00042</h1><p>Dear customer, your <b>quotation</b> is attached.</p><script>document.title="ran"</script>',
      attachments: [
        { filename: "S00042.pdf", content: Buffer.from("%PDF-1.4 q"), contentType: "application/pdf" },
      ],
    });
    await transport.sendMail({
      from: "Acme <noreply@acme.example.com>",
      to: "admin@example.com",
      subject: "Password reset",
      text: "Reset your password.",
    });
    transport.close();

    await signIn(page, admin);
    await page.goto(`/projects/${project.id}/builds/${quiet}`);
    await page.getByRole("tab", { name: "mails" }).click();
    await expect(page.getByTestId("mails-empty")).toContainText("caught here and never delivered");
    await shot("01-empty");

    await page.goto(`/projects/${project.id}/builds/${sender}`);
    await page.getByRole("tab", { name: "mails" }).click();
    const list = page.getByRole("list", { name: "Mails" });
    await expect(list.getByRole("button")).toHaveCount(2);
    await list.getByRole("button", { name: /Quotation S00042/ }).click();
    await expect(page.getByTestId("mail-subject")).toHaveText("Quotation S00042");
    const frame = page.locator('iframe[title="HTML part of the mail"]');
    await expect(frame).toHaveAttribute("sandbox", "");
    await expect(frame.contentFrame().getByRole("heading", { name: "Quotation S00042" })).toBeVisible();
    await expect(page.getByRole("link", { name: /S00042\.pdf/ })).toBeVisible();
    await shot("02-html");

    await page.getByRole("tab", { name: "Text" }).click();
    await expect(page.getByText("Dear customer, your quotation is attached.")).toBeVisible();
    await page.getByRole("tab", { name: "Headers" }).click();
    await expect(page.getByText("customer@example.com").last()).toBeVisible();

    await page.getByLabel("Search mails").fill("password");
    await expect(list.getByRole("button")).toHaveCount(1);
    await expect(list).toContainText("Password reset");
    await shot("03-search");

    // The HTML part runs nothing and loads nothing remote; the downloads are attachments.
    const mails = (await (await api.get(`/api/v1/builds/${sender}/mails?search=quotation`)).json()) as {
      mails: { id: string }[];
    };
    const base = `/api/v1/builds/${sender}/mails/${mails.mails[0]!.id}`;
    const html = await api.get(`${base}/html`);
    expect(html.headers()["content-security-policy"]).toContain("default-src 'none'");
    const pdf = await api.get(`${base}/attachments/0`);
    expect(pdf.headers()["content-disposition"]).toContain('attachment; filename="S00042.pdf"');
    expect(await pdf.text()).toBe("%PDF-1.4 q");
    const raw = await api.get(`${base}/raw`);
    expect(raw.headers()["content-type"]).toContain("message/rfc822");
    expect(await raw.text()).toContain("Subject: Quotation S00042");
  } finally {
    await api.delete(`/api/v1/projects/${project.id}`, {
      params: { confirmName: project.name, keepLastBackup: "false" },
    });
    await api.dispose();
  }
});
