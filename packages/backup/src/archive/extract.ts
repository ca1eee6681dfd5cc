import { createWriteStream } from "node:fs";
import { mkdir, readdir, rm } from "node:fs/promises";
import { dirname, relative, resolve, sep } from "node:path";
import { Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import { BackupError } from "../errors";
import type { InspectResult } from "./inspect";
import { openEntry, openZip } from "./zip-reader";

export interface ExtractResult {
  files: number;
  bytes: number;
}

/** Refuses more bytes than the entry declared (inspect checked them; the file may have changed since). */
class SizeGuard extends Transform {
  bytes = 0;
  constructor(
    private readonly limit: number,
    private readonly name: string,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.limit)
      done(new BackupError("SIZE_MISMATCH", `archive entry ${this.name} grew past its size`));
    else done(null, chunk);
  }
}

/**
 * Writes the filestore of an inspected archive into `target` (which must be absent or
 * empty), streaming each file with size accounting. Files are created exclusively (`wx`),
 * and every path is checked to stay under `target`. On failure the target is removed.
 */
export async function extractFilestore(
  archivePath: string,
  inspected: InspectResult,
  target: string,
): Promise<ExtractResult> {
  const root = resolve(target);
  const existing = await readdir(root).catch(() => undefined);
  if (existing && existing.length > 0) {
    throw new BackupError("TARGET_EXISTS", `the filestore target ${root} is not empty`);
  }
  await mkdir(root, { recursive: true });
  const zip = await openZip(archivePath);
  const result: ExtractResult = { files: 0, bytes: 0 };
  try {
    const made = new Set<string>();
    for (const entry of inspected.entries) {
      if (entry.kind !== "filestore") continue;
      const path = resolve(root, entry.name.slice("filestore/".length));
      if (!path.startsWith(root + sep) || relative(root, path).startsWith("..")) {
        throw new BackupError("ZIP_SLIP", `archive entry ${entry.name} points outside the filestore`);
      }
      const dir = dirname(path);
      if (!made.has(dir)) {
        await mkdir(dir, { recursive: true });
        made.add(dir);
      }
      const guard = new SizeGuard(entry.entry.uncompressedSize, entry.name);
      await pipeline(await openEntry(zip, entry), guard, createWriteStream(path, { flags: "wx" }));
      result.files++;
      result.bytes += guard.bytes;
    }
    return result;
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  } finally {
    zip.close();
  }
}

/** Streams dump.sql out of an inspected archive (the caller consumes it fully or destroys it). */
export async function openDumpStream(archivePath: string, inspected: InspectResult) {
  const entry = inspected.entries.find((e) => e.kind === "dump");
  if (!entry) throw new BackupError("MISSING_DUMP", "the archive has no dump.sql");
  const zip = await openZip(archivePath);
  const stream = await openEntry(zip, entry);
  stream.on("close", () => zip.close());
  stream.on("error", () => zip.close());
  return stream;
}
