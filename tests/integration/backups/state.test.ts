// Core's backup and restore state machine on a real database: each transition only from the
// status it expects, so a second claimer, a late failure or a second verdict changes nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BuildTestEnv } from "../builds/support";
import { createProject, useBackupTestEnv } from "./support";

let env: BuildTestEnv;
let db: ReturnType<typeof import("@gantry/db").prisma>;
let core: typeof import("@gantry/core");
let projectId: string;
let branchId: string;

beforeAll(async () => {
  env = await useBackupTestEnv();
  db = (await import("@gantry/db")).prisma();
  core = await import("@gantry/core");
  projectId = await createProject(env);
  branchId = (await db.branch.create({ data: { projectId, name: "main", stage: "PRODUCTION" } })).id;
}, 120_000);

afterAll(async () => {
  await db?.$disconnect();
  await env?.db.drop();
});

const row = (id: string) => db.backup.findUniqueOrThrow({ where: { id } });

describe("backup state", () => {
  it("goes PENDING -> RUNNING -> DONE once, then is verified and deleted once", async () => {
    const { id } = await db.backup.create({ data: { projectId, branchId, kind: "MANUAL" } });
    expect(await core.claimBackup(db, id, "w1")).toBe(true);
    expect(await core.claimBackup(db, id, "w2")).toBe(false);
    await core.backupProgress(db, id, 250, "writing");
    expect(await row(id)).toMatchObject({
      status: "RUNNING",
      workerId: "w1",
      progress: 99,
      message: "writing",
    });

    const done = { storageKey: "k", sizeBytes: 10, sha256: "a".repeat(64), odooSeries: "18.0" };
    expect(await core.finishBackup(db, id, done)).toBe(true);
    expect(await core.failBackup(db, id, "too late")).toBe(false);
    expect(await row(id)).toMatchObject({
      status: "DONE",
      progress: 100,
      message: null,
      sizeBytes: 10n,
      error: null,
    });

    await core.recordVerification(db, id, true, "ok");
    await core.recordVerification(db, id, false, "second verdict");
    expect(await row(id)).toMatchObject({ verifyStatus: "VERIFIED", verifyMessage: "ok" });

    const now = new Date();
    expect(await core.markBackupDeleted(db, id, now)).toBe(true);
    expect(await core.markBackupDeleted(db, id, new Date())).toBe(false);
    expect((await row(id)).deletedAt).toEqual(now);
  });

  it("fails a pending or running backup, and never deletes one that is not DONE", async () => {
    const { id } = await db.backup.create({ data: { projectId, branchId, kind: "DAILY" } });
    expect(await core.failBackup(db, id, "interrupted")).toBe(true);
    expect(await core.claimBackup(db, id, "w1")).toBe(false);
    expect(await core.markBackupDeleted(db, id, new Date())).toBe(false);
    expect(await row(id)).toMatchObject({ status: "FAILED", error: "interrupted", deletedAt: null });
  });

  it("ends a restore once, with its message or its error", async () => {
    const { id } = await db.backupRestore.create({ data: { projectId, branchId } });
    expect(await core.claimRestore(db, id, "w1")).toBe(true);
    expect(await core.claimRestore(db, id, "w2")).toBe(false);
    await core.restoreProgress(db, id, 42, "restoring");
    expect(await core.endRestore(db, id, { ok: true, message: "restored" })).toBe(true);
    expect(await core.endRestore(db, id, { ok: false, error: "late" })).toBe(false);
    expect(await db.backupRestore.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "DONE",
      progress: 100,
      message: "restored",
      error: null,
      workerId: "w1",
    });
  });
});
