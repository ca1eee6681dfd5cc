import { close, fstat, open, read } from "node:fs";
import { Readable } from "node:stream";
import { promisify } from "node:util";
import { createInflateRaw } from "node:zlib";
import yauzl from "yauzl";
import { BackupError } from "../errors";

/** Archive reads and inflated output come in pieces this large (yauzl's own are 16 KB). */
const READ_CHUNK = 1024 * 1024;
const INFLATE_CHUNK = 256 * 1024;

/** yauzl's reads, served from one descriptor in large pieces. */
class FileRangeReader extends yauzl.RandomAccessReader {
  constructor(private readonly fd: number) {
    super();
  }
  // Not fs.createReadStream: destroying one closes its descriptor, shared here by all reads.
  override _readStreamForRange(start: number, end: number): Readable {
    const fd = this.fd;
    let position = start;
    return new Readable({
      highWaterMark: READ_CHUNK,
      read() {
        const length = Math.min(READ_CHUNK, end - position);
        if (length <= 0) {
          this.push(null);
          return;
        }
        const buffer = Buffer.allocUnsafe(length);
        read(fd, buffer, 0, length, position, (err, bytesRead) => {
          if (err) this.destroy(err);
          else if (bytesRead === 0) this.push(null);
          else {
            position += bytesRead;
            this.push(bytesRead < length ? buffer.subarray(0, bytesRead) : buffer);
          }
        });
      },
    });
  }
  override read(
    buffer: Buffer,
    offset: number,
    length: number,
    position: number,
    callback: (err: Error | null, bytesRead?: number) => void,
  ): void {
    read(this.fd, buffer, offset, length, position, (err, bytesRead) => callback(err, bytesRead));
  }
  override close(callback: (err: Error | null) => void): void {
    close(this.fd, callback);
  }
}

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
  const fd = await promisify(open)(path, "r");
  try {
    const { size } = await promisify(fstat)(fd);
    return await yauzl.fromRandomAccessReaderPromise(new FileRangeReader(fd), size, {
      lazyEntries: true,
      autoClose: false,
      decodeStrings: false,
      validateEntrySizes: true,
    });
  } catch (error) {
    // yauzl closes the reader only once it returned a ZipFile (through its close()).
    close(fd, () => {});
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

/**
 * An entry's data, inflated here rather than by yauzl, in larger pieces. Sizes and CRC are
 * the caller's to check (see checkedEntryData).
 */
export async function openEntryData(zip: yauzl.ZipFile, raw: RawEntry): Promise<Readable> {
  const e = raw.entry;
  try {
    const { fileDataStart } = await zip.readLocalFileHeaderPromise(e, { minimal: true });
    // The callback form: yauzl 3.4's openReadStreamLowLevelPromise calls openReadStream.
    const data = await new Promise<Readable>((resolve, reject) =>
      zip.openReadStreamLowLevel(
        fileDataStart,
        e.compressedSize,
        0,
        e.compressedSize,
        false,
        null,
        (err, s) => (err ? reject(err) : resolve(s)),
      ),
    );
    if (e.compressionMethod === 0) return data;
    const inflate = createInflateRaw({ chunkSize: INFLATE_CHUNK });
    data.on("error", (error) => inflate.destroy(error));
    inflate.on("close", () => data.destroy());
    return data.pipe(inflate);
  } catch (error) {
    throw zipError(error, raw.name);
  }
}

export async function openEntry(zip: yauzl.ZipFile, raw: RawEntry): Promise<Readable> {
  try {
    return await zip.openReadStreamPromise(raw.entry);
  } catch (error) {
    throw zipError(error, raw.name);
  }
}
