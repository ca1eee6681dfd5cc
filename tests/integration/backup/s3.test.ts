// The storage contract against a local S3-compatible server (s3rver, from npm, bound to
// 127.0.0.1). A part size of 5 MiB (S3's minimum) makes the 3 MiB+ contract object a single
// part and the extra test below a real multipart upload.
import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, expect, it } from "vitest";
import { storageContract } from "../../../packages/backup/src/storage/contract";
import { S3Storage } from "../../../packages/backup/src/storage/s3";

// s3rver is a dev dependency of @gantry/backup; resolve it from there.
const require = createRequire(new URL("../../../packages/backup/package.json", import.meta.url));
const S3rver = require("s3rver") as new (
  options: Record<string, unknown>,
) => {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
};

let server: InstanceType<typeof S3rver>;
let dir: string;
let endpoint: string;
let counter = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "gantry-s3rver-"));
  server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory: dir,
    configureBuckets: [{ name: "backups" }],
  });
  const address = await server.run();
  endpoint = `http://127.0.0.1:${address.port}`;
});

afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function makeStorage(): S3Storage {
  counter++;
  return new S3Storage({
    bucket: "backups",
    prefix: `run${counter}/`,
    partSize: 5 * 1024 * 1024,
    client: {
      endpoint,
      region: "us-east-1",
      forcePathStyle: true,
      credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    },
  });
}

storageContract("s3", async () => makeStorage());

it("streams a large object as a multipart upload", async () => {
  const storage = makeStorage();
  const data = randomBytes(12 * 1024 * 1024 + 5);
  const chunks = Array.from({ length: Math.ceil(data.length / 65536) }, (_, i) =>
    data.subarray(i * 65536, (i + 1) * 65536),
  );
  const out = await storage.put("big/a.zip", Readable.from(chunks));
  expect(out).toEqual({ size: data.length, sha256: createHash("sha256").update(data).digest("hex") });
  const back: Buffer[] = [];
  for await (const c of await storage.get("big/a.zip", { start: 6 * 1024 * 1024 })) back.push(c as Buffer);
  expect(Buffer.concat(back).equals(data.subarray(6 * 1024 * 1024))).toBe(true);
});
