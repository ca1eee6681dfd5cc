// Odoo (the stand-in) sending mail the way a staging or development build does: to the
// catcher, logged in with the build's --smtp-user/--smtp-password. The mail lands in that
// build's list; with a wrong password it is refused and nothing is stored.
import { randomBytes } from "node:crypto";
import type { Actor } from "@gantry/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MailCatcher } from "../../../apps/worker/src/mails/catcher";
import { type BuildTestEnv, useBuildTestEnv } from "../builds/support";
import {
  checkout,
  cloneDb,
  dropDb,
  mailerInstallArgs,
  makeTemplate,
  odoo,
  removeTestContainers,
  requireImages,
  uniqueDb,
} from "../standin/helpers";

let env: BuildTestEnv;
let prisma: typeof import("@gantry/db").prisma;
let core: typeof import("@gantry/core");
let catcher: MailCatcher;
let template: string;
const dbs: string[] = [];

beforeAll(async () => {
  await requireImages(["17.0"]);
  env = await useBuildTestEnv();
  prisma = (await import("@gantry/db")).prisma;
  core = await import("@gantry/core");
  const { startMailCatcher } = await import("../../../apps/worker/src/mails/catcher");
  catcher = await startMailCatcher({ host: "127.0.0.1", port: 0, logger: core.createLogger("test") });
  template = await makeTemplate();
  dbs.push(template);
});

afterAll(async () => {
  await catcher?.close();
  await removeTestContainers();
  for (const db of dbs) await dropDb(db);
  await prisma?.().$disconnect();
  await env?.db.drop();
});

async function installMailer(login: { user: string; password: string }) {
  const db = uniqueDb();
  dbs.push(db);
  await cloneDb(template, db);
  const smtp = ["--smtp", "127.0.0.1", "--smtp-port", String(catcher.port)];
  return odoo(
    mailerInstallArgs(db, [...smtp, "--smtp-user", login.user, "--smtp-password", login.password]),
    {
      source: await checkout("acme17", "mail"),
    },
  );
}

describe("a build's Odoo and the catcher", () => {
  it("catches the mail Odoo sends with the build's login, and refuses a wrong one", async () => {
    const project = await prisma().project.create({
      data: {
        slug: `mailer-${env.prefix}`,
        name: "Mailer",
        githubOwner: "acme",
        githubRepo: env.prefix,
        odooSeries: "17.0",
      },
    });
    const branch = await prisma().branch.create({
      data: { projectId: project.id, name: "feature", stage: "DEVELOPMENT" },
    });
    const build = await prisma().build.create({
      data: { projectId: project.id, branchId: branch.id, stage: "DEVELOPMENT", commitSha: "c".repeat(40) },
    });
    const login = await core.issueMailLogin(build.id);
    const admin: Actor = {
      userId: randomBytes(6).toString("hex"),
      isAdmin: false,
      memberships: { [project.id]: "ADMIN" },
      tokenProjectIds: null,
    };

    const sent = await installMailer(login);
    expect(sent.code, sent.stdout).toBe(0);
    const mails = await core.listBuildMails(admin, build.id);
    expect(mails.map((m) => m.subject)).toEqual(["ACME welcome"]);
    expect(mails[0]!.rcptTo.join()).toContain("ops@acme.example.com");

    await installMailer({ user: build.id, password: "not-the-password" });
    expect(await core.listBuildMails(admin, build.id)).toHaveLength(1);
  });
});
