// The mail catcher against a real database: a build logs in with its own credentials and its
// mail is stored, listed, parsed and downloadable behind the "mails" right; wrong or production
// credentials are refused; the size and count limits hold; cleaning the build removes its mails.
import { randomBytes } from "node:crypto";
import { resetConfigForTests } from "@gantry/config";
import type { Actor } from "@gantry/core";
import { DockerRuntime } from "@gantry/runtime";
import { createTransport } from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MailCatcher } from "../../../apps/worker/src/mails/catcher";
import { type BuildTestEnv, useBuildTestEnv } from "../builds/support";

const MAX_BYTES = 64 * 1024;
const KEEP = 3;

let env: BuildTestEnv;
let prisma: typeof import("@gantry/db").prisma;
let core: typeof import("@gantry/core");
let catcher: MailCatcher;
let projectId: string;
let developer: Actor;
let admin: Actor;

beforeAll(async () => {
  env = await useBuildTestEnv();
  process.env.MAIL_MAX_PER_BUILD = String(KEEP);
  resetConfigForTests();
  prisma = (await import("@gantry/db")).prisma;
  core = await import("@gantry/core");
  const { startMailCatcher } = await import("../../../apps/worker/src/mails/catcher");
  catcher = await startMailCatcher({
    host: "127.0.0.1",
    port: 0,
    logger: core.createLogger("test"),
    maxBytes: MAX_BYTES,
  });
  const project = await prisma().project.create({
    data: {
      slug: `mails-${env.prefix}`,
      name: "Mails",
      githubOwner: "acme",
      githubRepo: env.prefix,
      odooSeries: "17.0",
    },
  });
  projectId = project.id;
  const actor = (role: "ADMIN" | "DEVELOPER"): Actor => ({
    userId: randomBytes(6).toString("hex"),
    isAdmin: false,
    memberships: { [projectId]: role },
    tokenProjectIds: null,
  });
  developer = actor("DEVELOPER");
  admin = actor("ADMIN");
});

afterAll(async () => {
  await catcher?.close();
  delete process.env.MAIL_MAX_PER_BUILD;
  await prisma?.().$disconnect();
  await env?.db.drop();
});

async function buildOf(stage: "PRODUCTION" | "STAGING" | "DEVELOPMENT") {
  const branch = await prisma().branch.create({
    data: { projectId, name: `${stage.toLowerCase()}-${randomBytes(3).toString("hex")}`, stage },
  });
  const build = await prisma().build.create({
    data: { projectId, branchId: branch.id, stage, commitSha: "a".repeat(40) },
  });
  return { id: build.id, login: await core.issueMailLogin(build.id) };
}

function send(login: { user: string; password: string }, message: Record<string, unknown>) {
  const transport = createTransport({
    host: "127.0.0.1",
    port: catcher.port,
    secure: false,
    ignoreTLS: true,
    auth: { user: login.user, pass: login.password },
  });
  return transport
    .sendMail({ from: "odoo@build.example.com", to: "customer@example.com", ...message })
    .finally(() => transport.close());
}

function responseCode(error: unknown): number | undefined {
  return (error as { responseCode?: number }).responseCode;
}

describe("the mail catcher", () => {
  it("stores a build's mail, lists it, parses it and hands out its attachment", async () => {
    const build = await buildOf("DEVELOPMENT");
    await send(build.login, {
      subject: "Your quotation S00042",
      text: "Please find your quotation attached.",
      html: '<p>Please find <b>your quotation</b> attached.</p><img src="cid:logo@acme">',
      attachments: [
        {
          filename: "S00042.pdf",
          content: Buffer.from("%PDF-1.4 quotation"),
          contentType: "application/pdf",
        },
        {
          filename: "logo.png",
          content: Buffer.from("png-bytes"),
          contentType: "image/png",
          cid: "logo@acme",
        },
      ],
    });
    const list = await core.listBuildMails(developer, build.id);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      mailFrom: "odoo@build.example.com",
      rcptTo: ["customer@example.com"],
      subject: "Your quotation S00042",
    });
    expect(list[0]!.size).toBeGreaterThan(100);

    expect(await core.listBuildMails(developer, build.id, { search: "QUOTATION attached" })).toHaveLength(1);
    expect(await core.listBuildMails(developer, build.id, { search: "invoice" })).toHaveLength(0);

    const mail = await core.getBuildMail(developer, build.id, list[0]!.id);
    expect(mail.text).toContain("Please find your quotation attached.");
    expect(mail.html).toContain("<b>your quotation</b>");
    // The inline image travels inside the HTML, so the viewer needs no request for it.
    expect(mail.html).toContain("data:image/png;base64,");
    expect(mail.headers.find((h) => h.name.toLowerCase() === "subject")?.value).toBe("Your quotation S00042");
    const pdf = mail.attachments.find((a) => a.filename === "S00042.pdf");
    expect(pdf).toMatchObject({ contentType: "application/pdf", inline: false });

    const file = await core.getMailAttachment(developer, build.id, mail.id, pdf!.index);
    expect(file.content.toString()).toBe("%PDF-1.4 quotation");
    const raw = await core.getRawMail(developer, build.id, mail.id);
    expect(raw.raw.toString()).toContain("Subject: Your quotation S00042");
  });

  it("refuses wrong credentials, unknown builds and production builds", async () => {
    const build = await buildOf("DEVELOPMENT");
    const production = await buildOf("PRODUCTION");
    const refused = [
      { user: build.id, password: "wrong" },
      { user: "nosuchbuild", password: build.login.password },
      production.login,
    ];
    for (const login of refused) {
      await expect(send(login, { subject: "forged" })).rejects.toSatisfy((e) => responseCode(e) === 535);
    }
    // Another build's password does not pass for this build.
    const other = await buildOf("STAGING");
    await expect(
      send({ user: build.id, password: other.login.password }, { subject: "x" }),
    ).rejects.toSatisfy((e) => responseCode(e) === 535);
    expect(
      await prisma().buildMail.count({ where: { buildId: { in: [build.id, production.id, other.id] } } }),
    ).toBe(0);
  });

  it("refuses a mail over the size limit with 552 and keeps the earlier ones", async () => {
    const build = await buildOf("STAGING");
    await send(build.login, { subject: "small", text: "fits" });
    const huge = "x".repeat(MAX_BYTES + 1024);
    await expect(send(build.login, { subject: "huge", text: huge })).rejects.toSatisfy(
      (e) => responseCode(e) === 552,
    );
    const list = await core.listBuildMails(admin, build.id);
    expect(list.map((m) => m.subject)).toEqual(["small"]);
  });

  it("keeps a build's newest mails past the count limit", async () => {
    const build = await buildOf("DEVELOPMENT");
    for (let i = 1; i <= KEEP + 2; i += 1)
      await send(build.login, { subject: `mail ${i}`, text: `number ${i}` });
    const list = await core.listBuildMails(developer, build.id);
    expect(list.map((m) => m.subject)).toEqual(["mail 5", "mail 4", "mail 3"]);
  });

  it("shows a staging build's mails to Admins only, and no build's mails to strangers", async () => {
    const staging = await buildOf("STAGING");
    await send(staging.login, { subject: "staging mail", text: "s" });
    expect(await core.listBuildMails(admin, staging.id)).toHaveLength(1);
    await expect(core.listBuildMails(developer, staging.id)).rejects.toSatisfy(
      (e) => core.isAppError(e) && e.code === "forbidden",
    );
    const stranger: Actor = { userId: "x", isAdmin: false, memberships: {}, tokenProjectIds: null };
    await expect(core.listBuildMails(stranger, staging.id)).rejects.toSatisfy(
      (e) => core.isAppError(e) && e.code === "forbidden",
    );
  });

  it("removes a build's mails and login when the build is cleaned, and with its project", async () => {
    const build = await buildOf("DEVELOPMENT");
    await send(build.login, { subject: "before cleanup", text: "c" });
    const { cleanupBuild } = await import("../../../apps/worker/src/builds/cleanup");
    await cleanupBuild(new DockerRuntime(), build.id);
    expect(await prisma().buildMail.count({ where: { buildId: build.id } })).toBe(0);
    await expect(send(build.login, { subject: "after cleanup" })).rejects.toSatisfy(
      (e) => responseCode(e) === 535,
    );

    const kept = await buildOf("DEVELOPMENT");
    await send(kept.login, { subject: "kept until the project goes", text: "p" });
    expect(await prisma().buildMail.count({ where: { buildId: kept.id } })).toBe(1);
    await prisma().project.delete({ where: { id: projectId } });
    expect(await prisma().buildMail.count({ where: { buildId: kept.id } })).toBe(0);
  });
});
