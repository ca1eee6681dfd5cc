// Verification of a stored backup: packages/backup's verifyBackup restores it into a scratch
// database and folder on the server of the branch's stage, compares modules and versions with
// the manifest, every table's row count with the source's at dump time and every file's
// checksum, and drops the scratch copies. The row's verifyStatus moves PENDING -> VERIFIED or
// FAILED (compare-and-set), with the problems as its message.
import { mkdir } from "node:fs/promises";
import { verifyBackup } from "@gantry/backup";
import { backupScratchDir, dbServerForStage, recordVerification } from "@gantry/core";
import type { PrismaClient } from "@gantry/db";
import { adminEndpoint } from "@gantry/postgres";
import { localArchive } from "./archive-file";

export interface VerifyOutcome {
  status: "VERIFIED" | "FAILED" | "skipped";
  problems: string[];
}

export async function verifyStoredBackup(
  db: PrismaClient,
  backupId: string,
  signal?: AbortSignal,
): Promise<VerifyOutcome> {
  const row = await db.backup.findUnique({
    where: { id: backupId },
    select: {
      status: true,
      verifyStatus: true,
      storageKey: true,
      projectId: true,
      deletedAt: true,
      branch: { select: { stage: true } },
    },
  });
  if (row?.status !== "DONE" || !row.storageKey || row.deletedAt || row.verifyStatus !== "PENDING")
    return { status: "skipped", problems: [] };
  const server = await dbServerForStage(row.projectId, row.branch?.stage ?? "PRODUCTION");
  await mkdir(backupScratchDir(), { recursive: true });
  const archive = await localArchive(row.storageKey, signal);
  let problems: string[];
  let summary: string;
  try {
    const report = await verifyBackup({
      archive: archive.path,
      admin: adminEndpoint(server, "postgres"),
      scratchDir: backupScratchDir(),
      // Named after the backup: a verification run again after its worker died removes what the dead one left.
      scratchName: backupId,
    });
    problems = report.problems;
    const c = report.checked;
    summary = `${c.modules} modules, ${c.tables} tables, ${c.rows} rows, ${c.files} files match the source`;
  } catch (error) {
    problems = [`verification could not run: ${(error as Error).message}`];
    summary = "";
  } finally {
    await archive.release();
  }
  const ok = problems.length === 0;
  const message = ok
    ? summary
    : `${problems.length} problem${problems.length === 1 ? "" : "s"}: ${problems.slice(0, 20).join("; ")}`;
  await recordVerification(db, backupId, ok, message);
  return { status: ok ? "VERIFIED" : "FAILED", problems };
}
