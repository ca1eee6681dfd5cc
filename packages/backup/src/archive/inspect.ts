import { compareSeries } from "@gantry/odoo";
import type yauzl from "yauzl";
import { BackupError } from "../errors";
import { type Manifest, manifestSchema } from "../manifest";
import { type ScreenResult, SqlScreener } from "../sql/screen";
import { checkedEntryData } from "./checked-entry";
import { classifyEntryName, type EntryKind } from "./entries";
import { type ArchiveLimits, archiveLimitsSchema } from "./limits";
import { openZip, type RawEntry, readEntries } from "./zip-reader";

export interface InspectOptions {
  /** The Odoo series the archive will be restored into; a newer manifest is refused. */
  targetSeries?: string;
  limits?: ArchiveLimits;
  allowCustomDump?: boolean;
}

export interface InspectedEntry extends RawEntry {
  kind: EntryKind;
}

export interface InspectResult {
  manifest: Manifest;
  entries: InspectedEntry[];
  dumpFormat: "plain" | "custom";
  dumpBytes: number;
  filestoreFiles: number;
  filestoreBytes: number;
  /** Sum of uncompressed sizes: what a restore writes to disk (the database takes more). */
  totalBytes: number;
  screen?: ScreenResult;
}

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;

function checkMetadata(raw: RawEntry, kind: EntryKind, limits: Required<ArchiveLimits>): void {
  const e = raw.entry;
  // Unix mode bits live in the high 16 bits of the external attributes (Info-ZIP, Python's
  // zipfile, this package's writer). A symlink or device entry is refused whatever tool made
  // it; zip has no hard-link entry type, and tar archives are not accepted at all.
  const mode = (e.externalFileAttributes >>> 16) & S_IFMT;
  if (mode === S_IFLNK) {
    throw new BackupError("LINK_ENTRY", `archive entry ${raw.name} is a symbolic link`, { name: raw.name });
  }
  if (mode !== 0 && mode !== S_IFREG && mode !== S_IFDIR) {
    throw new BackupError("LINK_ENTRY", `archive entry ${raw.name} is not a regular file`, {
      name: raw.name,
    });
  }
  if (e.isEncrypted()) throw new BackupError("ENCRYPTED_ENTRY", `archive entry ${raw.name} is encrypted`);
  if (e.compressionMethod !== 0 && e.compressionMethod !== 8) {
    throw new BackupError(
      "UNSUPPORTED_COMPRESSION",
      `archive entry ${raw.name} uses compression ${e.compressionMethod}`,
    );
  }
  if (kind === "directory" && e.uncompressedSize !== 0) {
    throw new BackupError("ENTRY_NOT_ALLOWED", `directory entry ${raw.name} has data`);
  }
  if (
    e.uncompressedSize > limits.ratioFloorBytes &&
    e.uncompressedSize / Math.max(1, e.compressedSize) > limits.maxRatio
  ) {
    throw new BackupError(
      "COMPRESSION_RATIO",
      `archive entry ${raw.name} expands ${Math.round(e.uncompressedSize / Math.max(1, e.compressedSize))} times (limit ${limits.maxRatio})`,
    );
  }
}

export interface ArchiveDirectory {
  entries: InspectedEntry[];
  manifestEntry: InspectedEntry;
  dumpEntry: InspectedEntry;
  filestoreFiles: number;
  filestoreBytes: number;
  totalBytes: number;
}

/**
 * The cheap checks, from the central directory alone: names, types, duplicates, declared
 * sizes, ratios and totals, and the presence of a dump and a manifest.
 */
export async function readDirectory(
  zip: yauzl.ZipFile,
  limits: Required<ArchiveLimits>,
  options: InspectOptions = {},
): Promise<ArchiveDirectory> {
  const raws = await readEntries(zip, limits.maxEntries);
  const seen = new Set<string>();
  const entries: InspectedEntry[] = [];
  let totalBytes = 0;
  let filestoreFiles = 0;
  let filestoreBytes = 0;
  for (const raw of raws) {
    const kind = classifyEntryName(raw.name, { allowCustomDump: options.allowCustomDump });
    // Names are case-folded too: two names differing only by case collide on some disks.
    const key = raw.name.toLowerCase().replace(/\/$/, "");
    if (seen.has(key)) {
      throw new BackupError("DUPLICATE_ENTRY", `archive entry ${raw.name} appears twice`, {
        name: raw.name,
      });
    }
    seen.add(key);
    checkMetadata(raw, kind, limits);
    totalBytes += raw.entry.uncompressedSize;
    if (totalBytes > limits.maxTotalBytes) {
      throw new BackupError("TOO_LARGE", `the archive expands to more than ${limits.maxTotalBytes} bytes`);
    }
    if (kind === "filestore") {
      filestoreFiles++;
      filestoreBytes += raw.entry.uncompressedSize;
    }
    entries.push({ ...raw, kind });
  }
  const manifestEntry = entries.find((e) => e.kind === "manifest");
  const dumpEntry = entries.find((e) => e.kind === "dump") ?? entries.find((e) => e.kind === "customDump");
  if (!dumpEntry) throw new BackupError("MISSING_DUMP", "the archive has no dump.sql");
  if (!manifestEntry) throw new BackupError("MISSING_MANIFEST", "the archive has no manifest.json");
  return { entries, manifestEntry, dumpEntry, filestoreFiles, filestoreBytes, totalBytes };
}

/** Reads and validates manifest.json; a backup of a newer series than the target is refused. */
export async function readManifest(
  zip: yauzl.ZipFile,
  entry: InspectedEntry,
  limits: Required<ArchiveLimits>,
  targetSeries?: string,
): Promise<Manifest> {
  const kept: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of checkedEntryData(zip, entry)) {
    bytes += chunk.length;
    if (bytes > limits.maxManifestBytes)
      throw new BackupError("INVALID_MANIFEST", "manifest.json is too large");
    kept.push(chunk);
  }
  const manifest = parseManifest(Buffer.concat(kept));
  if (targetSeries && compareSeries(manifest.major_version, targetSeries) > 0) {
    throw new BackupError(
      "NEWER_SERIES",
      `the backup is from Odoo ${manifest.major_version}, newer than the target ${targetSeries}`,
      { backup: manifest.major_version, target: targetSeries },
    );
  }
  return manifest;
}

export function parseLimits(limits: ArchiveLimits | undefined): Required<ArchiveLimits> {
  return archiveLimitsSchema.parse(limits ?? {}) as Required<ArchiveLimits>;
}

/**
 * Validates an archive completely before anything is created: names, types, duplicates,
 * declared sizes and ratios from the central directory first (cheap), then every byte of
 * every entry (real sizes, CRC-32, the manifest, and the SQL screening of dump.sql).
 */
export async function inspectArchive(path: string, options: InspectOptions = {}): Promise<InspectResult> {
  const limits = parseLimits(options.limits);
  const zip = await openZip(path);
  try {
    const directory = await readDirectory(zip, limits, options);
    // The manifest first: a wrong series is refused before the dump is read.
    const manifest = await readManifest(zip, directory.manifestEntry, limits, options.targetSeries);
    let screen: ScreenResult | undefined;
    for (const entry of directory.entries) {
      if (entry === directory.manifestEntry || entry.kind === "directory") continue;
      const screener = entry.kind === "dump" ? new SqlScreener() : undefined;
      for await (const chunk of checkedEntryData(zip, entry)) screener?.push(chunk);
      if (screener) screen = screener.end();
    }
    return {
      manifest,
      entries: directory.entries,
      dumpFormat: directory.dumpEntry.kind === "dump" ? "plain" : "custom",
      dumpBytes: directory.dumpEntry.entry.uncompressedSize,
      filestoreFiles: directory.filestoreFiles,
      filestoreBytes: directory.filestoreBytes,
      totalBytes: directory.totalBytes,
      screen,
    };
  } finally {
    zip.close();
  }
}

function parseManifest(bytes: Buffer): Manifest {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString("utf8"));
  } catch (error) {
    throw new BackupError("INVALID_MANIFEST", `manifest.json is not JSON: ${(error as Error).message}`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new BackupError("INVALID_MANIFEST", `manifest.json is invalid: ${issues}`);
  }
  return parsed.data;
}
