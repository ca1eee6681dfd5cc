// Minor updates: a new revision of a series' image (here a derived image put under the series'
// tag of a repository of this test's own, so other suites never see it). Development and
// staging branches on "latest" are rebuilt on it at once (staging updating every module);
// production is moved at the update window (its job promoted here) with an "update" backup and
// -u all; a pinned branch keeps its revision's image
// until the pin lapses (its Admins told by mail two weeks before), then follows the latest,
// with an audit entry.
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readable, type SmtpSink, startSmtpSink } from "../../support/smtp-sink";
import { imageOf } from "../standin/helpers";
import { type BuildSuite, startBuildSuite } from "./suite";
import { shaOf, waitFor } from "./support";

const run = promisify(execFile);

let suite: BuildSuite;
let prisma: typeof import("@gantry/db").prisma;
let core: typeof import("@gantry/core");
let queue: typeof import("@gantry/queue");
let imageRepo: string;
// Read before the suite points ODOO_IMAGE at this test's own repository.
const sourceImage = imageOf("17.0");
let projectId: string;
let admin: import("@gantry/core").Actor;
let sha: string;
let smtp: SmtpSink;
let adminEmail: string;

type Result = import("@gantry/queue").JobResult<"maintenance.odoo-versions">;

async function lookAtVersions(): Promise<Result> {
  const { jobId } = await queue.enqueue("maintenance.odoo-versions", {}, {}, suite.producer);
  const job = await waitFor(
    "the look at Odoo versions",
    async () => {
      const view = await queue.getJobView("maintenance", jobId, suite.producer);
      if (view?.state === "failed") throw new Error(`failed: ${view.failedReason}`);
      return view?.state === "completed" ? view : undefined;
    },
    120_000,
  );
  return job.result as Result;
}

type Stage = "PRODUCTION" | "STAGING" | "DEVELOPMENT";

async function branchWithBuild(name: string, stage: Stage) {
  const branch = await prisma().branch.create({ data: { projectId, name, stage, lastSeenSha: sha } });
  return branch;
}

async function buildOf(branchId: string, stage: Stage) {
  return suite.ended(await suite.push({ projectId, branchId, stage, sha }));
}

/** A new image under the series' tag: the stand-in with one more label (a new image id). */
async function newRevisionOf17(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "gantry-revision-"));
  try {
    await writeFile(join(dir, "Dockerfile"), `FROM ${sourceImage}\nLABEL gantry.test-revision=2\n`);
    await suite.runtime.buildImage(dir, `${imageRepo}:17.0`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

beforeAll(async () => {
  smtp = await startSmtpSink();
  suite = await startBuildSuite({
    queues: ["builds", "maintenance", "backups"],
    environment: (env) => {
      imageRepo = `gantry-test-${env.prefix}/odoo`;
      return { ODOO_IMAGE: imageRepo, SMTP_URL: smtp.url, ODOO_VERSION_CHECK_MINUTES: "0" };
    },
  });
  prisma = (await import("@gantry/db")).prisma;
  core = await import("@gantry/core");
  queue = await import("@gantry/queue");
  await suite.runtime.tagImage(sourceImage, imageRepo, "17.0");
  // The scratch database is a copy of the test database, where another suite's worker may have
  // recorded the stand-in's revisions already: this suite starts from none.
  await prisma().odooRevision.deleteMany();
  const repo = join(suite.env.repos, "acme16.git");
  sha = await shaOf(repo, "17.0");
  const project = await suite.project("revisions", { name: "Revisions", gitUrl: repo });
  projectId = project.id;
  const user = await prisma().user.create({
    data: { email: `admin-${suite.env.prefix}@acme.example.com`, name: "A" },
  });
  await prisma().collaborator.create({ data: { projectId, userId: user.id, role: "ADMIN" } });
  adminEmail = user.email;
  admin = { userId: user.id, isAdmin: false, memberships: { [projectId]: "ADMIN" }, tokenProjectIds: null };
}, 180_000);

afterAll(async () => {
  await suite?.close();
  if (imageRepo) {
    const { stdout } = await run("docker", ["images", "--format", "{{.Repository}}:{{.Tag}}", imageRepo]);
    const tags = stdout.split("\n").filter(Boolean);
    if (tags.length > 0) await run("docker", ["rmi", "-f", ...tags]).catch(() => {});
  }
  await smtp?.close();
}, 180_000);

describe("minor updates of an Odoo series", () => {
  it("rebuilds development on a new revision, moves production at the window, keeps pins until they lapse", async () => {
    // The first look records the series' revision as it is: nothing to update.
    const first = await lookAtVersions();
    const r1 = first.revisions.find((r) => r.series === "17.0");
    expect(r1).toMatchObject({ previous: null });
    expect(first.rebuilt).toEqual([]);
    const kept = (await run("docker", ["image", "inspect", `${imageRepo}:17.0-${r1!.revision}`])).stdout;
    expect(kept).toContain(r1!.revision);

    const production = await branchWithBuild("main", "PRODUCTION");
    const staging = await branchWithBuild("staging", "STAGING");
    const dev = await branchWithBuild("feature", "DEVELOPMENT");
    const pinned = await branchWithBuild("pinned", "DEVELOPMENT");
    await expect(
      core.updateBranchSettings(admin, projectId, pinned.id, { odooRevision: "0123456789ab" }),
    ).rejects.toMatchObject({ code: "invalid_input" });
    const settings = await core.updateBranchSettings(admin, projectId, pinned.id, {
      odooRevision: r1!.revision.slice(0, 8),
    });
    expect(settings.odooRevision).toBe(r1!.revision);
    expect(settings.revisions.map((r) => r.revision)).toEqual([r1!.revision]);
    for (const [branch, stage] of [
      [production, "PRODUCTION"],
      [staging, "STAGING"],
      [dev, "DEVELOPMENT"],
      [pinned, "DEVELOPMENT"],
    ] as const) {
      const built = await buildOf(branch.id, stage);
      expect({ result: built.result, error: built.errorSummary }).toEqual({ result: "SUCCESS", error: null });
      expect(built.odooRevision).toBe(r1!.revision);
    }

    // A new image of 17.0 arrives.
    await newRevisionOf17();
    const second = await lookAtVersions();
    const r2 = second.revisions.find((r) => r.series === "17.0");
    expect(r2?.previous).toBe(r1!.revision);
    expect(r2?.revision).not.toBe(r1!.revision);
    expect(second.productionScheduled).toEqual([production.id]);
    expect(second.rebuilt).toHaveLength(2);
    const rebuilt = await Promise.all(second.rebuilt.map((id) => suite.ended(id)));
    const devBuild = rebuilt.find((b) => b.branchId === dev.id)!;
    expect(devBuild.trigger).toBe("image");
    expect(devBuild.result).toBe("SUCCESS");
    expect(devBuild.odooRevision).toBe(r2!.revision);
    // Staging copies production (still on the old revision) and updates every module on the
    // new one: what production will do at its window, rehearsed first.
    const stagingBuild = rebuilt.find((b) => b.branchId === staging.id)!;
    expect({ result: stagingBuild.result, error: stagingBuild.errorSummary }).toEqual({
      result: "SUCCESS",
      error: null,
    });
    expect(stagingBuild.odooRevision).toBe(r2!.revision);
    expect(stagingBuild.phases.find((p) => p.name === "database")?.output).toMatchObject({
      kind: "copy",
      revision: { before: r1!.revision, now: r2!.revision },
    });
    expect(stagingBuild.phases.find((p) => p.name === "install")?.message).toBe("updated (-u): all");

    // Production waits for the window; the job is promoted to run now.
    const job = await suite.producer
      .queue("maintenance")
      .getJob(queue.productionRevisionJobId(production.id, r2!.revision));
    expect(await job?.getState()).toBe("delayed");
    const window = (job!.timestamp ?? 0) + (job!.delay ?? 0);
    expect(new Date(window).getUTCHours()).toBe(4);
    expect(window - Date.now()).toBeLessThanOrEqual(24 * 3600 * 1000);
    await job!.promote();
    const moved = await waitFor(
      "production's build on the new revision",
      async () => {
        const row = await prisma().build.findFirst({ where: { branchId: production.id, trigger: "image" } });
        return row ?? undefined;
      },
      60_000,
    );
    const prodBuild = await suite.ended(moved.id);
    expect({ result: prodBuild.result, error: prodBuild.errorSummary }).toEqual({
      result: "SUCCESS",
      error: null,
    });
    expect(prodBuild.odooRevision).toBe(r2!.revision);
    const database = prodBuild.phases.find((p) => p.name === "database");
    expect(database?.output).toMatchObject({
      kind: "update",
      revision: { before: r1!.revision, now: r2!.revision },
    });
    const backupId = (database?.output as { backupId: string | null } | undefined)?.backupId ?? null;
    expect(backupId).not.toBeNull();
    expect((await prisma().backup.findUniqueOrThrow({ where: { id: backupId! } })).kind).toBe("UPDATE");
    expect(prodBuild.phases.find((p) => p.name === "install")?.message).toBe("updated (-u): all");

    // The pinned branch was left alone. Two weeks before its pin lapses the Admins are told,
    // once; when it lapses the branch follows the latest.
    expect(await prisma().build.count({ where: { branchId: pinned.id } })).toBe(1);
    const eightyDaysAgo = new Date(Date.now() - 80 * 24 * 3600 * 1000);
    await prisma().branch.update({ where: { id: pinned.id }, data: { revisionPinnedAt: eightyDaysAgo } });
    expect((await lookAtVersions()).pinsWarned).toEqual([pinned.id]);
    expect((await lookAtVersions()).pinsWarned).toEqual([]);
    const warning = await waitFor(
      "the pin warning",
      async () => smtp.mails.find((m) => m.to.includes(adminEmail)),
      30_000,
    );
    expect(readable(warning.raw)).toContain(
      `Subject: [Gantry] Revisions / pinned: the pinned Odoo revision lapses on`,
    );
    expect(smtp.mails).toHaveLength(1);
    const fourMonthsAgo = new Date(Date.now() - 120 * 24 * 3600 * 1000);
    await prisma().branch.update({ where: { id: pinned.id }, data: { revisionPinnedAt: fourMonthsAgo } });
    const third = await lookAtVersions();
    expect(third.revisions).toEqual([]);
    expect(third.pinsExpired).toEqual([pinned.id]);
    expect(third.rebuilt).toHaveLength(1);
    const unpinned = await suite.ended(third.rebuilt[0]!);
    expect(unpinned.branchId).toBe(pinned.id);
    expect(unpinned.odooRevision).toBe(r2!.revision);
    const branch = await prisma().branch.findUniqueOrThrow({ where: { id: pinned.id } });
    expect(branch.odooRevision).toBeNull();
    const audit = await prisma().auditEvent.findFirst({
      where: { projectId, action: "branch.revision_pin_expired", target: pinned.id },
    });
    expect(audit?.data).toMatchObject({ revision: r1!.revision });
  }, 1_200_000);
});
