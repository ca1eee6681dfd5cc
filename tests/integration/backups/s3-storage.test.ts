// Backup storage in an S3-compatible bucket chosen by configuration (a local s3rver bound to
// 127.0.0.1): archives go in and come out by range, and the worker gets a local copy of a
// stored archive for a restore, removed after use.
import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { resetConfigForTests } from "@gantry/config";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const require = createRequire(new URL("../../../packages/backup/package.json", import.meta.url));
const S3rver = require("s3rver") as new (
  options: Record<string, unknown>,
) => { run(): Promise<AddressInfo>; close(): Promise<void> };

let server: InstanceType<typeof S3rver>;
let dir: string;
let dataDir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "gantry-s3-backups-"));
  dataDir = await mkdtemp(join(tmpdir(), "gantry-s3-data-"));
  server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory: dir,
    configureBuckets: [{ name: "gantry" }],
  });
  const address = await server.run();
  Object.assign(process.env, {
    BACKUP_S3_BUCKET: "gantry",
    BACKUP_S3_PREFIX: "backups/",
    BACKUP_S3_ENDPOINT: `http://127.0.0.1:${address.port}`,
    BACKUP_S3_ACCESS_KEY_ID: "S3RVER",
    BACKUP_S3_SECRET_ACCESS_KEY: "S3RVER",
    GANTRY_DATA_DIR: dataDir,
  });
  resetConfigForTests();
});

afterAll(async () => {
  for (const key of [
    "BACKUP_S3_BUCKET",
    "BACKUP_S3_PREFIX",
    "BACKUP_S3_ENDPOINT",
    "BACKUP_S3_ACCESS_KEY_ID",
    "BACKUP_S3_SECRET_ACCESS_KEY",
  ])
    delete process.env[key];
  resetConfigForTests();
  await server?.close();
  await rm(dir, { recursive: true, force: true });
  await rm(dataDir, { recursive: true, force: true });
});

describe("S3 backup storage", () => {
  it("stores archives in the bucket under the prefix, serves ranges, and gives the worker a local copy", async () => {
    const { backupKey, backupStorage } = await import("@gantry/core");
    const { S3Storage } = await import("@gantry/backup");
    const storage = backupStorage();
    expect(storage).toBeInstanceOf(S3Storage);
    const data = randomBytes(256 * 1024);
    const key = backupKey("p1", "b1", "k1");
    const put = await storage.put(key, Readable.from([data]));
    expect(put.sha256).toBe(createHash("sha256").update(data).digest("hex"));
    const chunks: Buffer[] = [];
    for await (const c of await storage.get(key, { start: 100, end: 199 })) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).equals(data.subarray(100, 200))).toBe(true);

    const { localArchive } = await import("../../../apps/worker/src/backups/archive-file");
    const local = await localArchive(key);
    expect((await readFile(local.path)).equals(data)).toBe(true);
    await local.release();
    await expect(stat(local.path)).rejects.toMatchObject({ code: "ENOENT" });
    // The object sits under the prefix in the bucket.
    const raw = new S3Storage({
      bucket: "gantry",
      client: {
        region: "us-east-1",
        endpoint: process.env.BACKUP_S3_ENDPOINT,
        forcePathStyle: true,
        credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
      },
    });
    expect((await raw.list("backups/")).map((o) => o.key)).toEqual([`backups/${key}`]);
  });
});
