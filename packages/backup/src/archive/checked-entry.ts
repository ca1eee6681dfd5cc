import { crc32 } from "node:zlib";
import type yauzl from "yauzl";
import { BackupError } from "../errors";
import { openEntryData, type RawEntry, zipError } from "./zip-reader";

/**
 * Streams one entry's data, checking its real size against the declared one as it goes and
 * its CRC-32 at the end (yauzl checks sizes, not CRCs). The last chunk is yielded only after
 * both checks passed: a consumer that acts on data once the stream ends never acts on a
 * corrupt or truncated entry.
 */
export async function* checkedEntryData(zip: yauzl.ZipFile, entry: RawEntry): AsyncGenerator<Buffer> {
  const stream = await openEntryData(zip, entry);
  const declared = entry.entry.uncompressedSize;
  let crc = 0;
  let bytes = 0;
  let held: Buffer | undefined;
  try {
    for await (const chunk of stream) {
      const buf = chunk as Buffer;
      bytes += buf.length;
      if (bytes > declared) {
        throw new BackupError("SIZE_MISMATCH", `archive entry ${entry.name} is larger than declared`);
      }
      crc = crc32(buf, crc);
      if (held) yield held;
      held = buf;
    }
  } catch (error) {
    throw zipError(error, entry.name);
  } finally {
    // Also when the consumer stops early: the entry's file reads must not go on.
    stream.destroy();
  }
  if (bytes !== declared) {
    throw new BackupError("SIZE_MISMATCH", `archive entry ${entry.name} is smaller than declared`);
  }
  if (crc !== entry.entry.crc32) {
    throw new BackupError("CRC_MISMATCH", `archive entry ${entry.name} is corrupt (CRC mismatch)`);
  }
  if (held) yield held;
}

/**
 * Reads the filestore entries through the same checks without writing them anywhere: a
 * restore without its filestore still refuses an archive whose filestore is corrupt.
 */
export async function checkFilestoreEntries(
  zip: yauzl.ZipFile,
  entries: readonly (RawEntry & { kind: string })[],
  signal?: AbortSignal,
): Promise<{ files: number; bytes: number }> {
  for (const entry of entries) {
    if (entry.kind !== "filestore") continue;
    signal?.throwIfAborted();
    for await (const _ of checkedEntryData(zip, entry));
  }
  return { files: 0, bytes: 0 };
}
