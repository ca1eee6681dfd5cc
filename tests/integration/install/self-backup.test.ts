// Gantry's own backup: the maintenance.gantry-backup job run by a worker writes a dated archive
// (database dump, the data directory's secrets and keys, a manifest) and keeps it only once a
// restore into a scratch database proved it; retention thins old archives; scripts/restore-gantry
// puts the database and the files back as they were when the archive was made.
import { execFile } from "node:child_process";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { resetConfigForTests } from "@gantry/config";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BuildTestEnv, useBuildTestEnv } from "../builds/support";
import { dropPrefix, waitForState } from "../queue/support";
import { sql as query, repoRoot } from "./layout";

const run = promisify(execFile);
let env: BuildTestEnv;
let queue: typeof import("@gantry/queue");
let producer: import("@gantry/queue").QueueContext;
let worker: Awaited<ReturnType<typeof import("../../../apps/worker/src/start-worker").startWorker>>;
let backupDir: string;

async function databases(prefix: string): Promise<string[]> {
  const server = new URL(env.db.url);
  server.pathname = "/postgres";
  const rows = await query<{ datname: string }>(
    server.toString(),
    `SELECT datname FROM pg_database WHERE datname LIKE '${prefix}%' ORDER BY datname`,
  );
  return rows.map((r) => r.datname);
}

beforeAll(async () => {
  env = await useBuildTestEnv();
  process.env.REDIS_PREFIX = env.prefix;
  process.env.BACKUP_DIR = join(env.dataDir, "backups");
  resetConfigForTests();
  backupDir = join(env.dataDir, "backups", "gantry");
  // The state an archive must carry, and what it must leave out.
  await mkdir(join(env.dataDir, "ssh"), { recursive: true });
  await writeFile(join(env.dataDir, "ssh", "known_hosts"), "github.com ssh-ed25519 AAAA-original\n");
  await mkdir(join(env.dataDir, "builds", "b1"), { recursive: true });
  await writeFile(join(env.dataDir, "builds", "b1", "cache.bin"), "not backed up");
  queue = await import("@gantry/queue");
  producer = queue.createQueueContext({
    redisUrl: (await import("@gantry/config")).config().REDIS_URL,
    prefix: env.prefix,
  });
  const { startWorker } = await import("../../../apps/worker/src/start-worker");
  worker = await startWorker({ prefix: env.prefix, queues: ["maintenance"], shutdownTimeoutMs: 5000 });
});

afterAll(async () => {
  await worker?.stop();
  if (producer) await dropPrefix(producer);
  await producer?.close();
  const { prisma } = await import("@gantry/db");
  await prisma().$disconnect();
  for (const name of await databases(env.db.name)) {
    const server = new URL(env.db.url);
    server.pathname = "/postgres";
    await query(server.toString(), `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
  await rm(env.dataDir, { recursive: true, force: true });
  await rm(env.repos, { recursive: true, force: true });
});

describe("Gantry's own backup", () => {
  let archive: string;

  it("is scheduled daily, and its job writes a verified, dated archive of the database and the secrets", async () => {
    const schedulers = await producer.queue("maintenance").getJobSchedulers();
    expect(schedulers.find((s) => s.key === "gantry-backup")?.pattern).toMatch(/^30 \d+ \* \* \*$/);
    await query(env.db.url, `CREATE TABLE self_backup_marker (note text)`);
    await query(env.db.url, `INSERT INTO self_backup_marker VALUES ('before the backup')`);
    const scratchBefore = await databases("gantry_selfcheck_");

    const { jobId } = await queue.enqueue("maintenance.gantry-backup", {}, {}, producer);
    const view = await waitForState(producer, "maintenance", jobId, ["completed", "failed"], 120_000);
    expect(view.state, String(view.failedReason)).toBe("completed");
    const result = view.result as { archive: string; bytes: number; migrations: number };
    archive = result.archive;
    expect(archive).toMatch(new RegExp(`^${backupDir}/gantry-\\d{8}T\\d{6}Z\\.tar$`));
    expect(result.migrations).toBeGreaterThan(0);
    // Only the finished archive is left: no staging, verify or partial files; no scratch database.
    expect(await readdir(backupDir)).toEqual([archive.slice(backupDir.length + 1)]);
    expect(await databases("gantry_selfcheck_")).toEqual(scratchBefore);

    const { stdout } = await run("tar", ["-tf", archive]);
    const entries = stdout.split("\n").filter(Boolean);
    expect(entries).toContain("manifest.json");
    expect(entries).toContain("database.dump");
    expect(entries).toContain("data/ssh/known_hosts");
    expect(entries.some((e) => e.includes("builds"))).toBe(false);
  });

  it("keeps the archives the daily retention keeps", async () => {
    const { pruneSelfArchives } = await import("../../../apps/worker/src/self-backup/job");
    const dir = join(env.dataDir, "retention");
    await mkdir(dir);
    const now = new Date("2026-06-30T12:00:00Z");
    // One archive a day for 200 days, and a file that is not an archive.
    for (let age = 0; age < 200; age++) {
      const at = new Date(now.getTime() - age * 86_400_000);
      const name = `gantry-${at
        .toISOString()
        .replace(/[-:]/g, "")
        .replace(/\.\d+Z$/, "Z")}.tar`;
      await writeFile(join(dir, name), "");
    }
    await writeFile(join(dir, "notes.txt"), "");
    const deleted = await pruneSelfArchives(dir, now);
    const left = (await readdir(dir)).filter((n) => n.endsWith(".tar"));
    expect(left).toHaveLength(14);
    expect(deleted).toHaveLength(186);
    expect(left).toContain("gantry-20260630T120000Z.tar");
    expect(await readdir(dir)).toContain("notes.txt");
  });

  it("refuses to keep an archive whose dump does not restore", async () => {
    const { verifySelfArchive } = await import("../../../apps/worker/src/self-backup/verify");
    const broken = join(env.dataDir, "broken");
    await mkdir(broken);
    await run("tar", ["-C", broken, "-xf", archive]);
    const dump = await readFile(join(broken, "database.dump"));
    await writeFile(join(broken, "database.dump"), dump.subarray(0, Math.floor(dump.length / 2)));
    const brokenArchive = join(broken, "gantry-20260101T000000Z.tar");
    await run("tar", ["-C", broken, "-cf", brokenArchive, "manifest.json", "database.dump"]);
    await expect(verifySelfArchive(brokenArchive)).rejects.toThrow(/pg_restore/);
  });

  it("scripts/restore-gantry puts the database and the files back", async () => {
    await query(env.db.url, `INSERT INTO self_backup_marker VALUES ('after the backup')`);
    await writeFile(join(env.dataDir, "ssh", "known_hosts"), "changed since\n");
    const { config } = await import("@gantry/config");
    await worker.stop();
    const { prisma } = await import("@gantry/db");
    await prisma().$disconnect();

    const envFile = join(env.dataDir, "restore.env");
    await writeFile(
      envFile,
      [
        `DATABASE_URL=${env.db.url}`,
        `GANTRY_DATA_DIR=${env.dataDir}`,
        `GANTRY_SECRET=${config().GANTRY_SECRET}`,
        `REDIS_URL=${config().REDIS_URL}`,
        `BUILD_DATABASE_URL=${config().BUILD_DATABASE_URL}`,
        `BUILD_DEV_DATABASE_URL=${config().BUILD_DEV_DATABASE_URL}`,
      ].join("\n"),
      { mode: 0o600 },
    );
    await run(join(repoRoot, "scripts/restore-gantry"), [archive, "--env", envFile], { cwd: repoRoot });

    const notes = await query<{ note: string }>(
      env.db.url,
      "SELECT note FROM self_backup_marker ORDER BY note",
    );
    expect(notes.map((n) => n.note)).toEqual(["before the backup"]);
    expect(await readFile(join(env.dataDir, "ssh", "known_hosts"), "utf8")).toBe(
      "github.com ssh-ed25519 AAAA-original\n",
    );
    const kept = (await readdir(env.dataDir)).filter((n) => n.startsWith("before-restore-"));
    expect(kept).toHaveLength(1);
    expect(await readFile(join(env.dataDir, kept[0]!, "ssh", "known_hosts"), "utf8")).toBe("changed since\n");
    expect((await databases(`${env.db.name}_before_restore_`)).length).toBe(1);

    // Another key: refused before anything changes.
    await writeFile(
      envFile,
      (await readFile(envFile, "utf8")).replace(/GANTRY_SECRET=.*/, "GANTRY_SECRET=another"),
    );
    await expect(
      run(join(repoRoot, "scripts/restore-gantry"), [archive, "--env", envFile], { cwd: repoRoot }),
    ).rejects.toThrow(/another GANTRY_SECRET/);
  });
});
