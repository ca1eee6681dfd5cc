// The disk of the backups full while a backup is written: backup storage on a small
// loop-mounted filesystem, filled to less than the archive needs once a backup exists. The
// backup must fail with the reason in words, leave no partial archive or scratch folder, and
// the earlier backups must be intact and still verify; once space is freed a backup succeeds.

import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readdir, rm, statfs } from "node:fs/promises";
import { join, relative } from "node:path";
import { pipeline } from "node:stream/promises";
import { promisify } from "node:util";
import { waitFor } from "../../tests/integration/builds/support";
import { withLoopMount } from "./lib/loop-mount";
import { check, type Tally } from "./lib/tally";
import { startBackup } from "./worker-kill/jobs";
import { createFaultPlatform, type FaultEnv, type FaultPlatform } from "./worker-kill/platform";

const DISK_MB = 64;

async function freeBytes(dir: string): Promise<number> {
  const stats = await statfs(dir);
  return stats.bavail * stats.bsize;
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash("sha256");
  await pipeline(createReadStream(path), hash);
  return hash.digest("hex");
}

async function filesUnder(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []))
    if (!entry.isDirectory()) found.push(relative(dir, join(entry.parentPath, entry.name)));
  return found;
}

async function doneBackups(platform: FaultPlatform) {
  const { prisma } = await import("@gantry/db");
  return prisma().backup.findMany({ where: { projectId: platform.projectId, status: "DONE" } });
}

/** Every finished backup verified (or failed to): no verification holds scratch space meanwhile. */
async function verificationsEnded(platform: FaultPlatform) {
  return waitFor(
    "every verification to end",
    async () => {
      const rows = await doneBackups(platform);
      return rows.every((r) => r.verifyStatus !== "PENDING") ? rows : undefined;
    },
    180_000,
  );
}

async function runBackup(platform: FaultPlatform) {
  const { prisma } = await import("@gantry/db");
  const started = await startBackup(platform);
  await waitFor("the backup to end", async () => ((await started.read()).ended ? true : undefined), 300_000);
  return prisma().backup.findUniqueOrThrow({ where: { id: started.id } });
}

/** Verifies a stored backup again in this process, as the worker's verification job does. */
async function verifyAgain(backupId: string, backupDir: string): Promise<string[]> {
  const { prisma } = await import("@gantry/db");
  const { resetConfigForTests } = await import("@gantry/config");
  const { verifyStoredBackup } = await import("../../apps/worker/src/backups/verify");
  // This process reads storage from its configuration, as the worker does.
  const name = "BACKUP_DIR";
  const before = process.env[name];
  process.env[name] = backupDir;
  resetConfigForTests();
  try {
    await prisma().backup.update({ where: { id: backupId }, data: { verifyStatus: "PENDING" } });
    const outcome = await verifyStoredBackup(prisma(), backupId);
    return outcome.status === "VERIFIED"
      ? []
      : [`${backupId}: ${outcome.status} ${outcome.problems.join("; ")}`];
  } finally {
    if (before === undefined) delete process.env[name];
    else process.env[name] = before;
    resetConfigForTests();
  }
}

async function diskFullTrial(platform: FaultPlatform, mount: string, tally: Tally): Promise<void> {
  const backupDir = join(mount, "backups");
  const previous = await verificationsEnded(platform);
  const unverified = previous.filter((r) => r.verifyStatus !== "VERIFIED");
  if (!previous.length || unverified.length)
    throw new Error(`the trial needs verified backups first: ${unverified.map((r) => r.verifyMessage)}`);
  const largest = Math.max(...previous.map((r) => Number(r.sizeBytes)));

  // Fill the disk to a quarter of what the last archive took: the next one cannot fit.
  const filler = join(mount, "filler");
  const leave = Math.max(16 * 1024, Math.floor(largest / 4));
  await promisify(execFile)("fallocate", ["-l", String((await freeBytes(mount)) - leave), filler]);
  tally.trials += 1;
  tally.faults += 1;
  const failed = await runBackup(platform);
  const error = failed.error ?? "";
  check(
    tally,
    "the backup failed",
    failed.status === "FAILED" ? [] : [`${failed.id} ended ${failed.status}`],
  );
  check(
    tally,
    "its reason says the disk is full, in words",
    /no space left/i.test(error) && /full/i.test(error) && !error.startsWith("ENOSPC") ? [] : [`"${error}"`],
  );

  const expected = new Set(["filler"]);
  for (const row of previous) if (row.storageKey) expected.add(join("backups", row.storageKey));
  const logs = previous.map((r) => r.storageKey?.replace(/\.zip$/, "-logs/")).filter((p) => !!p);
  const halfWritten = (await filesUnder(mount)).filter(
    (f) =>
      !expected.has(f) && !f.startsWith("lost+found") && !logs.some((p) => f.startsWith(join("backups", p!))),
  );
  const scratch = (await readdir(join(platform.env.dataDir, "backup-scratch")).catch(() => [])).map(
    (f) => `backup-scratch/${f}`,
  );
  check(tally, "nothing half-written remains (archive or scratch)", [
    ...halfWritten,
    ...scratch,
    ...(failed.storageKey ? [`the failed row names ${failed.storageKey}`] : []),
  ]);

  const damaged: string[] = [];
  for (const row of previous) {
    const path = join(backupDir, row.storageKey!);
    const sum = await sha256Of(path).catch((e: Error) => e.message);
    if (sum !== row.sha256) damaged.push(`${row.id}: ${sum} instead of ${row.sha256}`);
  }
  check(tally, "earlier archives intact (sha256 as recorded)", damaged);
  check(
    tally,
    "earlier backups still verify",
    (await Promise.all(previous.map((r) => verifyAgain(r.id, backupDir)))).flat(),
  );

  await rm(filler);
  const after = await runBackup(platform);
  check(
    tally,
    "a backup succeeds once space is freed",
    after.status === "DONE" ? [] : [`${after.id} ended ${after.status}: ${after.error}`],
  );
  tally.notes.push(
    `${leave} bytes left for an archive of ~${largest}: "${error.split(";")[0]}"; after freeing: ${after.status}`,
  );
}

/** `trials` disk-full trials on one platform whose backup storage is a small disk of its own. */
export async function diskFullTrials(env: FaultEnv, trials: number, tally: Tally): Promise<void> {
  await withLoopMount(DISK_MB, async (mount) => {
    const platform = await createFaultPlatform(env, { backupDir: join(mount, "backups") });
    try {
      await platform.startWorker();
      await platform.ensureBackup();
      for (let i = 0; i < trials; i++) {
        await diskFullTrial(platform, mount, tally);
        process.stderr.write(`trial ${i + 1}/${trials}: ${tally.notes.at(-1)}\n`);
      }
    } finally {
      // The worker holds files on the small disk: it goes before the disk is unmounted.
      await platform.close();
    }
  });
}
