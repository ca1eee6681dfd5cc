import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { storageContract } from "./contract";
import { FilesystemStorage } from "./fs";

const roots: string[] = [];
afterAll(async () => {
  for (const root of roots) await rm(root, { recursive: true, force: true });
});

storageContract("filesystem", async () => {
  const root = await mkdtemp(join(tmpdir(), "gantry-storage-"));
  roots.push(root);
  return new FilesystemStorage(root);
});
