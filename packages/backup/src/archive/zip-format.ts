/**
 * The records of a zip file (APPNOTE 6.3), as the writer lays them out: local header, data,
 * data descriptor for streamed entries, central directory, end records. ZIP64 fields are
 * used only where a size, an offset or the entry count does not fit the classic ones.
 */

export const METHOD_STORE = 0;
export const METHOD_DEFLATE = 8;
const FLAG_UTF8 = 1 << 11;
const FLAG_DATA_DESCRIPTOR = 1 << 3;
const VERSION_NEEDED = 20;
const VERSION_NEEDED_ZIP64 = 45;
/** Unix (3), spec 6.3: readers then take the high 16 bits of the external attributes as st_mode. */
const VERSION_MADE_BY = (3 << 8) | 63;
const MAX32 = 0xffffffff;
const MAX16 = 0xffff;

export interface ZipEntryRecord {
  name: Buffer;
  method: number;
  /** Unix st_mode (type and permission bits). */
  mode: number;
  dosTime: number;
  dosDate: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
  /** Sizes and CRC follow the data (written while streaming) instead of sitting in the local header. */
  dataDescriptor: boolean;
}

function writeUInt64(buffer: Buffer, value: number, offset: number): void {
  buffer.writeUInt32LE(value % 0x100000000, offset);
  buffer.writeUInt32LE(Math.floor(value / 0x100000000), offset + 4);
}

export function needsZip64(e: ZipEntryRecord): boolean {
  return e.compressedSize >= MAX32 || e.uncompressedSize >= MAX32 || e.localHeaderOffset >= MAX32;
}

/** Local time, as zip tools show it; clamped to the DOS range 1980-2107. */
export function dosDateTime(date: Date): { dosDate: number; dosTime: number } {
  const d = date.getFullYear() < 1980 ? new Date(1980, 0, 1) : date;
  return {
    dosDate: (((d.getFullYear() - 1980) & 0x7f) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
    dosTime: (d.getHours() << 11) | (d.getMinutes() << 5) | Math.floor(d.getSeconds() / 2),
  };
}

export function localHeader(e: ZipEntryRecord): Buffer {
  const b = Buffer.alloc(30 + e.name.length);
  b.writeUInt32LE(0x04034b50, 0);
  b.writeUInt16LE(VERSION_NEEDED, 4);
  b.writeUInt16LE(FLAG_UTF8 | (e.dataDescriptor ? FLAG_DATA_DESCRIPTOR : 0), 6);
  b.writeUInt16LE(e.method, 8);
  b.writeUInt16LE(e.dosTime, 10);
  b.writeUInt16LE(e.dosDate, 12);
  if (!e.dataDescriptor) {
    b.writeUInt32LE(e.crc32 >>> 0, 14);
    b.writeUInt32LE(e.compressedSize, 18);
    b.writeUInt32LE(e.uncompressedSize, 22);
  }
  b.writeUInt16LE(e.name.length, 26);
  b.writeUInt16LE(0, 28);
  e.name.copy(b, 30);
  return b;
}

export function dataDescriptor(e: ZipEntryRecord): Buffer {
  if (needsZip64(e)) {
    const b = Buffer.alloc(24);
    b.writeUInt32LE(0x08074b50, 0);
    b.writeUInt32LE(e.crc32 >>> 0, 4);
    writeUInt64(b, e.compressedSize, 8);
    writeUInt64(b, e.uncompressedSize, 16);
    return b;
  }
  const b = Buffer.alloc(16);
  b.writeUInt32LE(0x08074b50, 0);
  b.writeUInt32LE(e.crc32 >>> 0, 4);
  b.writeUInt32LE(e.compressedSize, 8);
  b.writeUInt32LE(e.uncompressedSize, 12);
  return b;
}

export function centralRecord(e: ZipEntryRecord): Buffer {
  const zip64 = needsZip64(e);
  const extra = zip64 ? 28 : 0;
  const b = Buffer.alloc(46 + e.name.length + extra);
  b.writeUInt32LE(0x02014b50, 0);
  b.writeUInt16LE(VERSION_MADE_BY, 4);
  b.writeUInt16LE(zip64 ? VERSION_NEEDED_ZIP64 : VERSION_NEEDED, 6);
  b.writeUInt16LE(FLAG_UTF8 | (e.dataDescriptor ? FLAG_DATA_DESCRIPTOR : 0), 8);
  b.writeUInt16LE(e.method, 10);
  b.writeUInt16LE(e.dosTime, 12);
  b.writeUInt16LE(e.dosDate, 14);
  b.writeUInt32LE(e.crc32 >>> 0, 16);
  b.writeUInt32LE(zip64 ? MAX32 : e.compressedSize, 20);
  b.writeUInt32LE(zip64 ? MAX32 : e.uncompressedSize, 24);
  b.writeUInt16LE(e.name.length, 28);
  b.writeUInt16LE(extra, 30);
  b.writeUInt32LE(((e.mode & 0xffff) << 16) >>> 0, 38);
  b.writeUInt32LE(zip64 ? MAX32 : e.localHeaderOffset, 42);
  e.name.copy(b, 46);
  if (zip64) {
    // All three values, in the order the spec fixes, since all three 32-bit fields say 0xffffffff.
    const at = 46 + e.name.length;
    b.writeUInt16LE(0x0001, at);
    b.writeUInt16LE(24, at + 2);
    writeUInt64(b, e.uncompressedSize, at + 4);
    writeUInt64(b, e.compressedSize, at + 12);
    writeUInt64(b, e.localHeaderOffset, at + 20);
  }
  return b;
}

/** The end records; the ZIP64 pair precedes the classic one when any count or offset overflows. */
export function endRecords(entryCount: number, directoryOffset: number, directorySize: number): Buffer {
  const zip64 = entryCount >= MAX16 || directoryOffset >= MAX32 || directorySize >= MAX32;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(zip64 ? MAX16 : entryCount, 8);
  end.writeUInt16LE(zip64 ? MAX16 : entryCount, 10);
  end.writeUInt32LE(zip64 ? MAX32 : directorySize, 12);
  end.writeUInt32LE(zip64 ? MAX32 : directoryOffset, 16);
  if (!zip64) return end;
  const record = Buffer.alloc(56);
  record.writeUInt32LE(0x06064b50, 0);
  writeUInt64(record, 56 - 12, 4);
  record.writeUInt16LE(VERSION_MADE_BY, 12);
  record.writeUInt16LE(VERSION_NEEDED_ZIP64, 14);
  writeUInt64(record, entryCount, 24);
  writeUInt64(record, entryCount, 32);
  writeUInt64(record, directorySize, 40);
  writeUInt64(record, directoryOffset, 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  writeUInt64(locator, directoryOffset + directorySize, 8);
  locator.writeUInt32LE(1, 16);
  return Buffer.concat([record, locator, end]);
}
