import type { Readable } from "node:stream";
import yauzl from "yauzl";
import { BackupError } from "../errors";

/** A zip entry as read from the central directory, its name decoded by us (not yauzl). */
export interface RawEntry {
  name: string;
  entry: yauzl.Entry;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Maps yauzl's and zlib's messages to our codes. */
export function zipError(error: unknown, name?: string): BackupError {
  if (error instanceof BackupError) return error;
  const message = (error as Error).message ?? String(error);
  const where = name ? ` (${name})` : "";
  if (/too many bytes|not enough bytes/.test(message)) {
    return new BackupError(
      "SIZE_MISMATCH",
      `entry size does not match its declared size${where}: ${message}`,
    );
  }
  if (/end of central directory|signature not found|central directory/i.test(message)) {
    return new BackupError("TRUNCATED", `the archive is truncated or not a zip: ${message}`);
  }
  return new BackupError("TRUNCATED", `the archive is damaged${where}: ${message}`);
}

/**
 * Opens a zip for validation: names stay raw (decodeStrings false) so that `..`, `\` and
 * absolute names reach our own checks instead of being normalised; sizes are validated
 * while streaming (yauzl's validateEntrySizes).
 */
export async function openZip(path: string): Promise<yauzl.ZipFile> {
  try {
    return await yauzl.openPromise(path, {
      lazyEntries: true,
      autoClose: false,
      decodeStrings: false,
      validateEntrySizes: true,
    });
  } catch (error) {
    throw zipError(error);
  }
}

/** Reads the whole central directory (metadata only: a few hundred bytes per entry). */
export async function readEntries(zip: yauzl.ZipFile, maxEntries: number): Promise<RawEntry[]> {
  if (zip.entryCount > maxEntries) {
    throw new BackupError(
      "TOO_MANY_ENTRIES",
      `the archive holds ${zip.entryCount} entries, more than ${maxEntries}`,
    );
  }
  const entries: RawEntry[] = [];
  await new Promise<void>((resolve, reject) => {
    zip.on("entry", (entry: yauzl.Entry) => {
      const raw = entry.fileName as unknown as Buffer;
      let name: string;
      try {
        name = utf8.decode(raw);
      } catch {
        name = raw.toString("latin1");
      }
      entries.push({ name, entry });
      zip.readEntry();
    });
    zip.on("end", resolve);
    zip.on("error", (e) => reject(zipError(e)));
    zip.readEntry();
  });
  return entries;
}

export async function openEntry(zip: yauzl.ZipFile, raw: RawEntry): Promise<Readable> {
  try {
    return await zip.openReadStreamPromise(raw.entry);
  } catch (error) {
    throw zipError(error, raw.name);
  }
}
