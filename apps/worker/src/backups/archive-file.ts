// A stored archive as a local file for restore and verification: the file itself when storage
// is a local folder, else a copy in the scratch folder removed after use.
import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pipeline } from "node:stream/promises";
import { FilesystemStorage } from "@gantry/backup";
import { backupScratchDir, backupStorage } from "@gantry/core";

export interface LocalArchive {
  path: string;
  release(): Promise<void>;
}

export async function localArchive(key: string, signal?: AbortSignal): Promise<LocalArchive> {
  const storage = backupStorage();
  if (storage instanceof FilesystemStorage) {
    if (!(await storage.stat(key))) throw new Error(`the archive ${key} is missing from storage`);
    return { path: resolve(storage.root, key), release: async () => {} };
  }
  await mkdir(backupScratchDir(), { recursive: true });
  const path = join(backupScratchDir(), `download-${randomBytes(6).toString("hex")}.zip`);
  try {
    await pipeline(await storage.get(key), createWriteStream(path), { signal });
  } catch (error) {
    await rm(path, { force: true });
    throw error;
  }
  return { path, release: () => rm(path, { force: true }) };
}
