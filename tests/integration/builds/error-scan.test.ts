// The incremental error scan on a growing server log, without Docker: a build row and its
// odoo.log written by the test the way a serving Odoo writes it, scanned, grown (a traceback
// cut in the middle by a scan), scanned again; a log the tenant turned into a symlink; the
// access rule of the errors (a group seen only on production stays hidden without its logs).
import { randomBytes } from "node:crypto";
import { appendFile, mkdir, rm, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Actor } from "@gantry/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BuildTestEnv, useBuildTestEnv } from "./support";

let env: BuildTestEnv;
let prisma: typeof import("@gantry/db").prisma;
let core: typeof import("@gantry/core");
let scan: typeof import("../../../apps/worker/src/errors/scan");
let projectId: string;

const actor = (role: "ADMIN" | "USER" | "TESTER" | "DEVELOPER"): Actor => ({
  userId: randomBytes(6).toString("hex"),
  isAdmin: false,
  memberships: { [projectId]: role },
  tokenProjectIds: null,
});

beforeAll(async () => {
  env = await useBuildTestEnv();
  prisma = (await import("@gantry/db")).prisma;
  core = await import("@gantry/core");
  scan = await import("../../../apps/worker/src/errors/scan");
  projectId = (
    await prisma().project.create({
      data: {
        slug: `scan-${env.prefix}`,
        name: "Scan",
        githubOwner: "acme",
        githubRepo: env.prefix,
        odooSeries: "17.0",
      },
    })
  ).id;
  // A channel that asks for new error groups (the project's first one does not by default).
  await prisma().notificationChannel.create({
    data: {
      projectId,
      kind: "MAIL",
      name: "Errors",
      events: ["error.new_group"],
      recipients: ["ops@example.com"],
    },
  });
}, 120_000);

afterAll(async () => {
  await prisma?.().$disconnect();
  await env?.db.drop();
});

async function servingBuild(stage: "PRODUCTION" | "STAGING" | "DEVELOPMENT") {
  const branch = await prisma().branch.create({
    data: { projectId, name: `${stage.toLowerCase()}-${randomBytes(3).toString("hex")}`, stage },
  });
  const build = await prisma().build.create({
    data: {
      id: `scan${randomBytes(6).toString("hex")}`,
      projectId,
      branchId: branch.id,
      stage,
      commitSha: "c".repeat(40),
      status: "DONE",
      servingAt: new Date(),
    },
  });
  const logs = join(env.dataDir, "builds", build.id, "logs");
  await mkdir(logs, { recursive: true });
  return { build, log: join(logs, "odoo.log") };
}

const record = (level: string, logger: string, message: string, second = 1) =>
  `2026-12-07 10:00:0${second},000 7 ${level} db ${logger}: ${message}\n`;

describe("the incremental error scan", () => {
  it("reads a growing server log on from where it stopped, a traceback cut by a scan kept whole, nothing twice", async () => {
    const { build, log } = await servingBuild("DEVELOPMENT");
    await writeFile(
      log,
      record("INFO", "odoo.service.server", "HTTP service running") +
        record("ERROR", "odoo.http", "Exception during request handling.") +
        "Traceback (most recent call last):\n" +
        '  File "/usr/lib/python3/dist-packages/odoo/http.py", line 2150, in __call__\n',
    );
    // The record still being written is held back: nothing yet.
    expect(await scan.scanBuildErrors(build.id, { files: ["odoo.log"] })).toEqual({
      lines: 1,
      occurrences: 0,
    });
    await appendFile(
      log,
      "KeyError: 'partner_id'\n" +
        record("INFO", "werkzeug", "GET /web 200", 2) +
        record("INFO", "werkzeug", "GET /x 200", 3),
    );
    expect((await scan.scanBuildErrors(build.id, { files: ["odoo.log"] })).occurrences).toBe(1);
    const [occurrence] = await prisma().errorOccurrence.findMany({ where: { buildId: build.id } });
    expect(occurrence?.line).toBe(2);
    expect(occurrence?.text.split("\n")).toEqual([
      "Exception during request handling.",
      "Traceback (most recent call last):",
      '  File "/usr/lib/python3/dist-packages/odoo/http.py", line 2150, in __call__',
      "KeyError: 'partner_id'",
    ]);
    // Nothing new: a scan again finds nothing; the same fault later counts once more.
    expect((await scan.scanBuildErrors(build.id, { files: ["odoo.log"] })).occurrences).toBe(0);
    await appendFile(
      log,
      record("ERROR", "odoo.http", "Exception during request handling.", 4) +
        "Traceback (most recent call last):\n" +
        '  File "/usr/lib/python3/dist-packages/odoo/http.py", line 2150, in __call__\n' +
        "KeyError: 'company_id'\n" +
        record("INFO", "werkzeug", "GET /y 200", 5),
    );
    expect((await scan.scanBuildErrors(build.id, { files: ["odoo.log"] })).occurrences).toBe(1);
    const groups = await prisma().errorGroup.findMany({
      where: { projectId, occurrences: { some: { buildId: build.id } } },
    });
    expect(groups.map((g) => [g.count, g.title])).toEqual([
      [2, "odoo.http: Exception during request handling."],
    ]);
    expect(groups[0]?.exception).toBe("KeyError: 'partner_id'");
  });

  it("never follows a log the tenant replaced with a symlink", async () => {
    const { build, log } = await servingBuild("DEVELOPMENT");
    const secret = join(env.dataDir, `host-file-${randomBytes(3).toString("hex")}`);
    await writeFile(
      secret,
      record("ERROR", "host", "a line of a host file") + record("INFO", "host", "more", 2),
    );
    await symlink(secret, log);
    expect(await scan.scanBuildErrors(build.id, { files: ["odoo.log"], final: true })).toEqual({
      lines: 0,
      occurrences: 0,
    });
    await rm(secret);
  });

  it("hides a group seen only on production from whoever lacks production's logs, and calls the hook once", async () => {
    const { build, log } = await servingBuild("PRODUCTION");
    await writeFile(log, record("CRITICAL", "odoo.prod", "only on production") + record("INFO", "x", "y", 2));
    await scan.scanBuildErrors(build.id, { files: ["odoo.log"] });
    const [group] = await prisma().errorGroup.findMany({
      where: { projectId, title: "odoo.prod: only on production" },
    });
    expect(group).toBeDefined();
    const admin = await core.listErrorGroups(actor("ADMIN"), projectId, { search: "only on production" });
    expect(admin.groups.map((g) => g.count)).toEqual([1]);
    const user = await core.listErrorGroups(actor("USER"), projectId, { search: "only on production" });
    expect(user.groups).toEqual([]);
    await expect(core.getErrorGroup(actor("TESTER"), projectId, group?.id as string)).rejects.toMatchObject({
      code: "forbidden",
    });
    await expect(
      core.listErrorGroups(actor("USER"), projectId, { stage: "PRODUCTION" }),
    ).rejects.toMatchObject({
      code: "forbidden",
    });
    // The notification hook's audit row, once: a second occurrence on production adds none.
    await appendFile(
      log,
      record("CRITICAL", "odoo.prod", "only on production", 3) + record("INFO", "x", "y", 4),
    );
    await scan.scanBuildErrors(build.id, { files: ["odoo.log"] });
    const audits = await prisma().auditEvent.findMany({
      where: { projectId, action: "error_group.new_on_production", target: group?.id as string },
    });
    expect(audits).toHaveLength(1);
    expect(audits[0]?.data).toMatchObject({ buildId: build.id });
    const told = await prisma().notificationDelivery.findMany({
      where: { projectId, event: "error.new_group" },
    });
    expect(told).toHaveLength(1);
    expect(told[0]?.title).toMatch(/^New error on production: /);
  });
});
