import { createWriteStream, writeFile as writeFileCallback } from "node:fs";
import { mkdir, readdir, rm } from "node:fs/promises";
import { dirname, relative, resolve, sep } from "node:path";
import { pipeline } from "node:stream/promises";
import { promisify } from "node:util";
import { ifExists } from "@gantry/config";
import type yauzl from "yauzl";
import { BackupError, isBackupError } from "../errors";
import { checkedEntryData } from "./checked-entry";
import type { InspectedEntry, InspectResult } from "./inspect";
import { openEntry, openZip } from "./zip-reader";

export interface ExtractResult {
  files: number;
  bytes: number;
}

// The callback form: per small file, fs/promises' FileHandle bookkeeping costs more than the write.
const writeFile = promisify(writeFileCallback);

/** Files up to this size are gathered and written with one call; larger ones are streamed. */
const WHOLE_FILE_BYTES = 1024 * 1024;
/** Files written at once: small files cost system calls more than bandwidth, so overlap them. */
const PARALLEL_FILES = 4;

async function writeEntry(zip: yauzl.ZipFile, entry: InspectedEntry, path: string): Promise<number> {
  const data = checkedEntryData(zip, entry);
  // `wx`: created exclusively, never through an existing file or symbolic link.
  if (entry.entry.uncompressedSize <= WHOLE_FILE_BYTES) {
    const chunks: Buffer[] = [];
    let bytes = 0;
    for await (const chunk of data) {
      chunks.push(chunk);
      bytes += chunk.length;
    }
    await writeFile(path, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, bytes), { flag: "wx" });
    return bytes;
  }
  let bytes = 0;
  await pipeline(
    data,
    async function* (input: AsyncIterable<Buffer>) {
      for await (const chunk of input) {
        bytes += chunk.length;
        yield chunk;
      }
    },
    createWriteStream(path, { flags: "wx" }),
  );
  return bytes;
}

/**
 * Writes the filestore entries of an open archive under `root` (absent or empty), a few
 * files at a time. Every path is checked to stay under `root`, every entry's size and CRC
 * are verified as it is written. Stops at the first failure or when `signal` aborts; the
 * caller removes `root` then.
 */
export async function extractEntries(
  zip: yauzl.ZipFile,
  entries: readonly InspectedEntry[],
  target: string,
  signal?: AbortSignal,
): Promise<ExtractResult> {
  const root = resolve(target);
  const existing = await ifExists(readdir(root));
  if (existing && existing.length > 0) {
    throw new BackupError("TARGET_EXISTS", `the filestore target ${root} is not empty`);
  }
  const files = entries.filter((e) => e.kind === "filestore");
  const paths = files.map((entry) => {
    const path = resolve(root, entry.name.slice("filestore/".length));
    if (!path.startsWith(root + sep) || relative(root, path).startsWith("..")) {
      throw new BackupError("ZIP_SLIP", `archive entry ${entry.name} points outside the filestore`);
    }
    return path;
  });
  await mkdir(root, { recursive: true });
  const made = new Map<string, Promise<unknown>>();
  const result: ExtractResult = { files: 0, bytes: 0 };
  let next = 0;
  let failed = false;
  const worker = async () => {
    try {
      while (next < files.length && !failed) {
        signal?.throwIfAborted();
        const i = next++;
        const dir = dirname(paths[i]!);
        if (!made.has(dir)) made.set(dir, mkdir(dir, { recursive: true }));
        await made.get(dir);
        result.bytes += await writeEntry(zip, files[i]!, paths[i]!);
        result.files++;
      }
    } catch (error) {
      failed = true;
      throw error;
    }
  };
  // Every worker has stopped before this returns, so a caller removing `root` on failure
  // does not race a write still in progress.
  const settled = await Promise.allSettled(
    Array.from({ length: Math.min(PARALLEL_FILES, files.length) }, worker),
  );
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failure) throw failure.reason;
  return result;
}

/**
 * Writes the filestore of an inspected archive into `target` (which must be absent or
 * empty), streaming each file with size and CRC checks. Files are created exclusively
 * (`wx`), and every path is checked to stay under `target`. On failure the target is removed.
 */
export async function extractFilestore(
  archivePath: string,
  inspected: InspectResult,
  target: string,
): Promise<ExtractResult> {
  const zip = await openZip(archivePath);
  try {
    return await extractEntries(zip, inspected.entries, target);
  } catch (error) {
    if (!isBackupError(error, "TARGET_EXISTS")) await rm(resolve(target), { recursive: true, force: true });
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
