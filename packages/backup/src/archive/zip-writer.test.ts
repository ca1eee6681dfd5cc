import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkedEntryData } from "./checked-entry";
import { ArchiveOutput } from "./output";
import { centralRecord, endRecords, type ZipEntryRecord } from "./zip-format";
import { openZip, readEntries } from "./zip-reader";
import { ZipWriter } from "./zip-writer";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "gantry-zip-writer-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readBack(path: string) {
  const zip = await openZip(path);
  try {
    const entries = await readEntries(zip, 1_000_000);
    const data = new Map<string, Buffer>();
    for (const entry of entries) {
      const chunks: Buffer[] = [];
      // checkedEntryData verifies every entry's size and CRC-32 against the directory.
      for await (const chunk of checkedEntryData(zip, entry)) chunks.push(chunk);
      data.set(entry.name, Buffer.concat(chunks));
    }
    return { entries, data };
  } finally {
    zip.close();
  }
}

describe("ZipWriter", () => {
  it("writes stored, deflated and streamed entries that read back byte for byte", async () => {
    const path = join(dir, "mixed.zip");
    const out = new ArchiveOutput(createWriteStream(path));
    const zip = new ZipWriter(out);
    const mtime = new Date(2024, 4, 17, 13, 45, 30);
    const text = Buffer.from("COPY public.t (id) FROM stdin;\n1\n\\.\n".repeat(20_000));
    const random = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7919) % 251));
    await zip.addStream("dump.sql", Readable.from([text.subarray(0, 1000), text.subarray(1000)]), {
      level: 1,
      mtime,
    });
    await zip.addDirectory("filestore/", mtime);
    await zip.addBuffer("filestore/ab/ab01", random, { level: 0, mtime });
    await zip.addStream("filestore/cd/cd02", Readable.from([random, random]), { level: 0, mtime });
    await zip.addBuffer("filestore/ef/empty", Buffer.alloc(0), { level: 0, mtime });
    await zip.addBuffer("manifest.json", Buffer.from('{"odoo_dump":"1"}'), { level: 1, mtime });
    await zip.finish();
    const written = await out.end();

    const { entries, data } = await readBack(path);
    expect(entries.map((e) => e.name)).toEqual([
      "dump.sql",
      "filestore/",
      "filestore/ab/ab01",
      "filestore/cd/cd02",
      "filestore/ef/empty",
      "manifest.json",
    ]);
    expect(data.get("dump.sql")!.equals(text)).toBe(true);
    expect(data.get("filestore/ab/ab01")!.equals(random)).toBe(true);
    expect(data.get("filestore/cd/cd02")!.equals(Buffer.concat([random, random]))).toBe(true);
    expect(data.get("filestore/ef/empty")!.length).toBe(0);
    expect(data.get("manifest.json")!.toString()).toBe('{"odoo_dump":"1"}');
    const dump = entries[0]!.entry;
    expect(dump.compressionMethod).toBe(8);
    expect(dump.compressedSize).toBeLessThan(text.length / 10);
    expect(entries[2]!.entry.compressionMethod).toBe(0);
    // Regular files and a directory, as Unix modes in the external attributes.
    expect(entries[2]!.entry.externalFileAttributes >>> 16).toBe(0o100644);
    expect(entries[1]!.entry.externalFileAttributes >>> 16).toBe(0o40755);
    expect(entries[2]!.entry.getLastModDate().getTime()).toBe(mtime.getTime());
    expect(written.bytes).toBe(out.offset);
  });

  it("writes ZIP64 end records once the entries outnumber 65535, and they read back", async () => {
    const path = join(dir, "many.zip");
    const out = new ArchiveOutput(createWriteStream(path));
    const zip = new ZipWriter(out);
    const mtime = new Date();
    const count = 70_000;
    for (let i = 0; i < count; i++) {
      await zip.addBuffer(
        `filestore/${(i % 256).toString(16).padStart(2, "0")}/f${i}`,
        Buffer.from(String(i)),
        {
          level: 0,
          mtime,
        },
      );
    }
    await zip.finish();
    await out.end();
    const reader = await openZip(path);
    try {
      const entries = await readEntries(reader, 1_000_000);
      expect(entries.length).toBe(count);
      const last = entries.at(-1)!;
      expect(last.name).toBe(`filestore/6f/f${count - 1}`);
      const chunks: Buffer[] = [];
      for await (const chunk of checkedEntryData(reader, last)) chunks.push(chunk);
      expect(Buffer.concat(chunks).toString()).toBe(String(count - 1));
    } finally {
      reader.close();
    }
  }, 120_000);
});

describe("ZIP64 fields", () => {
  const big: ZipEntryRecord = {
    name: Buffer.from("dump.sql"),
    method: 8,
    mode: 0o100644,
    dosDate: 0,
    dosTime: 0,
    crc32: 0x12345678,
    compressedSize: 1_500_000_000,
    uncompressedSize: 6_000_000_000,
    localHeaderOffset: 4_300_000_000,
    dataDescriptor: true,
  };

  it("moves sizes and offset past 4 GiB into the extended information field", () => {
    const record = centralRecord(big);
    expect(record.readUInt16LE(6)).toBe(45);
    expect(record.readUInt32LE(20)).toBe(0xffffffff);
    expect(record.readUInt32LE(24)).toBe(0xffffffff);
    expect(record.readUInt32LE(42)).toBe(0xffffffff);
    const extra = 46 + big.name.length;
    expect(record.readUInt16LE(extra)).toBe(0x0001);
    expect(Number(record.readBigUInt64LE(extra + 4))).toBe(6_000_000_000);
    expect(Number(record.readBigUInt64LE(extra + 12))).toBe(1_500_000_000);
    expect(Number(record.readBigUInt64LE(extra + 20))).toBe(4_300_000_000);
  });

  it("keeps classic fields below the limits", () => {
    const small = { ...big, compressedSize: 10, uncompressedSize: 20, localHeaderOffset: 30 };
    const record = centralRecord(small);
    expect(record.length).toBe(46 + small.name.length);
    expect(record.readUInt32LE(20)).toBe(10);
    expect(record.readUInt32LE(42)).toBe(30);
  });

  it("writes a ZIP64 end record and locator for a directory past 4 GiB", () => {
    const end = endRecords(3, 5_000_000_000, 300);
    expect(end.readUInt32LE(0)).toBe(0x06064b50);
    expect(Number(end.readBigUInt64LE(48))).toBe(5_000_000_000);
    expect(end.readUInt32LE(56)).toBe(0x07064b50);
    expect(Number(end.readBigUInt64LE(56 + 8))).toBe(5_000_000_300);
    expect(end.readUInt32LE(76)).toBe(0x06054b50);
    expect(end.readUInt32LE(76 + 16)).toBe(0xffffffff);
    expect(endRecords(3, 1000, 300).length).toBe(22);
  });
});
