import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { crc32, createDeflateRaw } from "node:zlib";
import type { ArchiveOutput } from "./output";
import {
  centralRecord,
  dataDescriptor,
  dosDateTime,
  endRecords,
  localHeader,
  METHOD_DEFLATE,
  METHOD_STORE,
  type ZipEntryRecord,
} from "./zip-format";

const FILE_MODE = 0o100644;
const DIRECTORY_MODE = 0o40755;
/** Output chunks of the deflater: fewer, larger pieces than zlib's 16 KB default. */
const DEFLATE_CHUNK = 256 * 1024;

export interface ZipEntryOptions {
  /** 0 stores the data; 1-9 deflates it at that zlib level. */
  level: number;
  mtime: Date;
}

/**
 * A streaming zip writer: entries are written one after another as their data arrives,
 * checksummed with zlib's native CRC-32, deflated on libuv's thread pool, and the central
 * directory is written at the end. Only the directory records stay in memory.
 */
export class ZipWriter {
  private readonly records: ZipEntryRecord[] = [];

  constructor(private readonly out: ArchiveOutput) {}

  private record(name: string, mode: number, method: number, mtime: Date): ZipEntryRecord {
    return {
      name: Buffer.from(name, "utf8"),
      method,
      mode,
      ...dosDateTime(mtime),
      crc32: 0,
      compressedSize: 0,
      uncompressedSize: 0,
      localHeaderOffset: this.out.offset,
      dataDescriptor: false,
    };
  }

  async addDirectory(name: string, mtime: Date): Promise<void> {
    const r = this.record(name.endsWith("/") ? name : `${name}/`, DIRECTORY_MODE, METHOD_STORE, mtime);
    this.records.push(r);
    await this.out.write(localHeader(r));
  }

  /** An entry whose bytes are all at hand: sizes and CRC go in the local header, no descriptor. */
  async addBuffer(name: string, data: Buffer, options: ZipEntryOptions): Promise<void> {
    if (options.level > 0 || data.length >= 0xffffffff) {
      await this.addStream(name, Readable.from([data]), options);
      return;
    }
    const r = this.record(name, FILE_MODE, METHOD_STORE, options.mtime);
    r.crc32 = crc32(data);
    r.compressedSize = r.uncompressedSize = data.length;
    this.records.push(r);
    await this.out.write(localHeader(r));
    await this.out.write(data);
  }

  /** An entry streamed from `source`: sizes and CRC follow the data in a data descriptor. */
  async addStream(name: string, source: AsyncIterable<Buffer>, options: ZipEntryOptions): Promise<void> {
    const r = this.record(name, FILE_MODE, options.level > 0 ? METHOD_DEFLATE : METHOD_STORE, options.mtime);
    r.dataDescriptor = true;
    this.records.push(r);
    await this.out.write(localHeader(r));
    let crc = 0;
    let size = 0;
    let compressed = 0;
    if (options.level === 0) {
      for await (const chunk of source) {
        crc = crc32(chunk, crc);
        size += chunk.length;
        await this.out.write(chunk);
      }
      compressed = size;
    } else {
      await pipeline(
        source,
        async function* (input: AsyncIterable<Buffer>) {
          for await (const chunk of input) {
            crc = crc32(chunk, crc);
            size += chunk.length;
            yield chunk;
          }
        },
        createDeflateRaw({ level: options.level, chunkSize: DEFLATE_CHUNK }),
        async (deflated: AsyncIterable<Buffer>) => {
          for await (const chunk of deflated) {
            compressed += chunk.length;
            await this.out.write(chunk);
          }
        },
      );
    }
    r.crc32 = crc;
    r.uncompressedSize = size;
    r.compressedSize = compressed;
    await this.out.write(dataDescriptor(r));
  }

  /** Writes the central directory and the end records; the caller then ends the output. */
  async finish(): Promise<void> {
    const directoryOffset = this.out.offset;
    for (const r of this.records) await this.out.write(centralRecord(r));
    const directorySize = this.out.offset - directoryOffset;
    await this.out.write(endRecords(this.records.length, directoryOffset, directorySize));
  }
}
