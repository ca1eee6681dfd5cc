// The production upgrade through the migrations queue, on a production branch served by a
// real production build of the acme16 fixture's 17.0 code (stand-in image, the production
// PostgreSQL server, Caddy). Code that cannot load on 18.0 fails and leaves production
// serving exactly as before (same container, same checksum, route back); the 18.0 code, pushed
// to a branch whose upgrade waits for its next push, upgrades it: the push starts the upgrade
// instead of an ordinary build; "upgrade" backup verified, maintenance page while it runs, the
// upgraded database swapped in and served on 18.0, then the pushed commit built on it.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fingerprint } from "../../../apps/worker/src/upgrades/fingerprint";
import { onPush } from "../../../packages/core/src/webhooks/events";
import { readable, type SmtpSink, startSmtpSink } from "../../support/smtp-sink";
import { type BuildTestEnv, shaOf, waitFor } from "../builds/support";
import { imageOf, PG, query } from "../standin/helpers";
import {
  answers,
  caddyHandler,
  cleanupUpgradeTest,
  markRehearsed,
  servedProduction,
  useUpgradeTestEnv,
} from "./production-setup";
import { attemptEnded } from "./support";

let env: BuildTestEnv;
let prisma: typeof import("@gantry/db").prisma;
let core: typeof import("@gantry/core");
let producer: import("@gantry/queue").QueueContext;
let worker: import("../../../apps/worker/src/start-worker").RunningWorker;
let runtime: import("@gantry/runtime").DockerRuntime;
let projectId: string;
let branchId: string;
let buildId: string;
let database: string;
let repo: string;
let admin: import("@gantry/core").Actor;
let adminEmail: string;
let smtp: SmtpSink;

async function push(ref: string) {
  await prisma().branch.update({ where: { id: branchId }, data: { lastSeenSha: await shaOf(repo, ref) } });
}

/** The notices mailed to the project's Admin so far, readable. */
function mailsTo(email: string): string[] {
  return smtp.mails.filter((m) => m.to.includes(email)).map((m) => readable(m.raw));
}

beforeAll(async () => {
  smtp = await startSmtpSink();
  process.env.SMTP_URL = smtp.url; // read by the config reset below
  let enqueueBuild: (buildId: string) => Promise<unknown>;
  ({ env, producer, enqueueBuild } = await useUpgradeTestEnv());
  prisma = (await import("@gantry/db")).prisma;
  core = await import("@gantry/core");
  runtime = new (await import("@gantry/runtime")).DockerRuntime();
  const { startWorker } = await import("../../../apps/worker/src/start-worker");
  worker = await startWorker({
    prefix: env.prefix,
    queues: ["builds", "migrations", "backups", "notifications"],
    concurrency: 2,
    shutdownTimeoutMs: 5000,
  });
  const served = await servedProduction(env, "upgprod", enqueueBuild);
  ({ projectId, branchId, buildId, database, repo } = served);
  const user = await prisma().user.create({
    data: { email: `admin-${env.prefix}@acme.example.com`, name: "Admin" },
  });
  await prisma().collaborator.create({ data: { projectId, userId: user.id, role: "ADMIN" } });
  adminEmail = user.email;
  admin = { userId: user.id, isAdmin: false, memberships: { [projectId]: "ADMIN" }, tokenProjectIds: null };
}, 420_000);

afterAll(async () => {
  await worker?.stop();
  await cleanupUpgradeTest({ env, producer, database });
  await smtp?.close();
  delete process.env.SMTP_URL;
}, 180_000);

describe("production upgrade", () => {
  it("reverts a failed upgrade: production serves on 17.0 exactly as before", async () => {
    const build = await prisma().build.findUniqueOrThrow({ where: { id: buildId } });
    const filestore = join(env.dataDir, "production", branchId, "data", "filestore", database);
    const before = await fingerprint({ ...PG, database }, filestore);
    await markRehearsed(projectId, "18.0");
    // The next push still carries the 17.0 code (acme_legacy 17.0.1.0.0): it cannot load on 18.0.
    await push("main");
    const asked = await core.requestProductionUpgrade(admin, projectId, branchId, {
      toSeries: "18.0",
      when: { mode: "next-push" },
    });
    expect(asked.status).toBe("SCHEDULED");
    await push("17.0");
    const done = await attemptEnded(asked.id);
    expect(done.status).toBe("FAILED");
    expect(done.failedStep).toBe("update");
    expect(done.reverted).toBe(true);
    const steps = (await core.getUpgradeAttempt(admin, asked.id)).steps.map((s) => `${s.name}:${s.status}`);
    expect(steps).toEqual(
      expect.arrayContaining(["backup:done", "stop:done", "update:failed", "revert:done"]),
    );

    expect(await fingerprint({ ...PG, database }, filestore)).toEqual(before);
    const state = await runtime.inspect(build.containerName!);
    expect(state.running).toBe(true);
    expect(state.image).toBe(imageOf("17.0"));
    expect(await answers(build.httpPort!, "/web/login")).toBe(200);
    expect(await caddyHandler(buildId)).toBe("reverse_proxy");
    const branch = await prisma().branch.findUniqueOrThrow({ where: { id: branchId } });
    expect(branch.odooSeries).toBeNull();
    // The 18.0 checkout served nothing once production was put back: only upgrade.log stays.
    expect(existsSync(join(core.upgradeDir(asked.id), "src"))).toBe(false);
    expect(existsSync(core.upgradeLogFile(asked.id))).toBe(true);
    expect((await core.unacknowledgedUpgradeFailures(admin, projectId)).map((f) => f.id)).toContain(asked.id);
    // The project's Admin is told by mail, with where production stands and the log's end.
    const mail = await waitFor(
      "the failure notice",
      async () => mailsTo(adminEmail).find((m) => m.includes("production upgrade to 18.0 failed")),
      30_000,
    );
    expect(mail).toContain("Subject: [Gantry] ACME upgprod / main: production upgrade to 18.0 failed");
    expect(mail).toContain("Production was put back and serves on Odoo 17.0 as before.");
    expect(mail).toContain("Step: update");
    expect(mail).toContain(`/projects/${projectId}/branches/${branchId}/upgrade`);
    expect(mail).toMatch(/The end of upgrade\.log:\n[\s\S]*production upgrade failed/);
  });

  it("upgrades production with the 18.0 code on its next push: verified backup, maintenance page, swap, served on 18.0, the push built on it", async () => {
    const buildsBefore = await prisma().build.count({ where: { branchId } });
    const data = () =>
      query<{ rows: string; files: string }>(
        database,
        "SELECT (SELECT count(*) FROM acme_legacy) AS rows, (SELECT count(*) FROM ir_attachment WHERE store_fname IS NOT NULL) AS files",
      );
    const filestore = join(env.dataDir, "production", branchId, "data", "filestore", database);
    const storedFiles = async () =>
      (
        await query<{ f: string }>(
          database,
          "SELECT store_fname AS f FROM ir_attachment WHERE store_fname IS NOT NULL",
        )
      )
        .map((r) => r.f)
        .filter((f) => existsSync(join(filestore, f))).length;
    const dataBefore = await data();
    expect(Number(dataBefore[0]?.rows)).toBeGreaterThan(0);
    expect(Number(dataBefore[0]?.files)).toBeGreaterThan(0);
    const asked = await core.requestProductionUpgrade(admin, projectId, branchId, {
      toSeries: "18.0",
      when: { mode: "next-push" },
    });
    const sha = await shaOf(repo, "18.0");
    const pushed = await onPush(projectId, {
      kind: "push",
      repository: `acme/upgprod-${env.prefix}`,
      ref: "refs/heads/main",
      branch: "main",
      before: await shaOf(repo, "17.0"),
      after: sha,
      created: false,
      deleted: false,
      forced: false,
      commits: [],
      headCommit: null,
      pusher: { name: "dev", email: null },
    });
    // The push starts the waiting upgrade in place of an ordinary build on 17.0.
    expect(pushed.outcome).toBe("upgrade_queued");
    expect(pushed.builds).toEqual([]);
    expect(await prisma().build.count({ where: { branchId } })).toBe(buildsBefore);
    // While it runs, the host answers the maintenance page from Caddy.
    const maintenance = await waitFor(
      "the maintenance page",
      async () => ((await caddyHandler(buildId)) === "static_response" ? true : undefined),
      240_000,
    );
    expect(maintenance).toBe(true);
    const done = await attemptEnded(asked.id);
    expect(done.error).toBeNull();
    expect(done.status).toBe("SUCCEEDED");
    const attempt = await core.getUpgradeAttempt(admin, asked.id);
    expect(attempt.steps.map((s) => `${s.name}:${s.status}`)).toEqual([
      "backup:done",
      "stop:done",
      "copy:done",
      "pre:done",
      "update:done",
      "post:done",
      "verify:done",
      "swap:done",
      "start:done",
    ]);
    const backup = await prisma().backup.findUniqueOrThrow({ where: { id: done.backupId! } });
    expect(backup.kind).toBe("UPGRADE");
    expect(backup.verifyStatus).toBe("VERIFIED");
    // The data came along: the same rows, and every attachment's file in the filestore.
    expect(await data()).toEqual(dataBefore);
    expect(await storedFiles()).toBe(Number(dataBefore[0]?.files));
    expect(attempt.report?.rows.find((r) => r.table === "acme_legacy")).toMatchObject({
      before: Number(dataBefore[0]?.rows),
      after: Number(dataBefore[0]?.rows),
    });
    const mail = await waitFor(
      "the success notice",
      async () => mailsTo(adminEmail).find((m) => m.includes("production upgrade to 18.0 succeeded")),
      30_000,
    );
    expect(mail).toContain("Production serves on Odoo 18.0.");
    expect((await prisma().branch.findUniqueOrThrow({ where: { id: branchId } })).odooSeries).toBe("18.0");
    // The pre-upgrade copy is gone once production serves on the new series.
    expect(
      await query("postgres", "SELECT 1 FROM pg_database WHERE datname = $1", [`${database}_preupgrade`]),
    ).toEqual([]);

    // Then the pushed commit is built on the upgraded database: an ordinary production build.
    const follow = await waitFor(
      "the build of the pushed commit",
      async () => {
        const row = await prisma().build.findFirst({
          where: { branchId, commitSha: sha, trigger: "upgrade" },
        });
        return row && (row.status === "DONE" || row.status === "CANCELLED") ? row : undefined;
      },
      300_000,
    );
    expect({ result: follow.result, error: follow.errorSummary }).toEqual({ result: "SUCCESS", error: null });
    expect(follow.odooSeries).toBe("18.0");
    expect(follow.databaseName).toBe(database);
    const state = await runtime.inspect(follow.containerName!);
    expect(state.running).toBe(true);
    expect(state.image).toBe(imageOf("18.0"));
    expect(await answers(follow.httpPort!, "/web/health")).toBe(200);
    expect(await caddyHandler(follow.id)).toBe("reverse_proxy");
    const legacy = await query<{ latest_version: string }>(
      database,
      "SELECT latest_version FROM ir_module_module WHERE name = 'acme_legacy'",
    );
    expect(legacy[0]?.latest_version).toBe("18.0.1.0.0");
  });
});
