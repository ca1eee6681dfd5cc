// Odoo backup archives built entry by entry: a well-formed one, and hostile or broken
// variants, each with the refusal code packages/backup gives it. Used by the restore tests and
// by the import tests (an import must refuse each of them and change nothing).
import { buildZip, type RawZipEntry } from "./raw-zip";

export const manifest = (major = "18.0") =>
  Buffer.from(
    JSON.stringify({
      odoo_dump: "1",
      db_name: "prod",
      version: major,
      version_info: [18, 0, 0, "final", 0, ""],
      major_version: major,
      pg_version: "15.0",
      modules: { base: `${major}.1.3` },
    }),
  );

export const dump = (extra = "") =>
  Buffer.from(
    [
      "-- Dumped by pg_dump version 15.18",
      "SET statement_timeout = 0;",
      "SELECT pg_catalog.set_config('search_path', '', false);",
      "CREATE TABLE public.ir_module_module (id integer, name varchar, state varchar, latest_version varchar);",
      extra,
      "COPY public.ir_module_module (id, name, state, latest_version) FROM stdin;",
      "1\tbase\tinstalled\t18.0.1.3",
      "\\.",
      "",
    ].join("\n"),
  );

export const good = (): RawZipEntry[] => [
  { name: "dump.sql", data: dump(), deflate: true },
  { name: "manifest.json", data: manifest() },
  { name: "filestore/ab/ab01", data: Buffer.from("file") },
];

export const hostileCases: [string, string, () => RawZipEntry[] | Buffer][] = [
  [
    "zip slip",
    "ZIP_SLIP",
    () => [...good(), { name: "filestore/../../../tmp/evil", data: Buffer.from("x") }],
  ],
  ["absolute path", "ZIP_SLIP", () => [...good(), { name: "/tmp/evil", data: Buffer.from("x") }]],
  ["backslash path", "ZIP_SLIP", () => [...good(), { name: "filestore\\..\\evil", data: Buffer.from("x") }]],
  [
    "symlink entry",
    "LINK_ENTRY",
    () => [...good(), { name: "filestore/ab/link", data: Buffer.from("/etc/passwd"), mode: 0o120777 }],
  ],
  ["duplicate entry", "DUPLICATE_ENTRY", () => [...good(), { name: "dump.sql", data: dump() }]],
  [
    "unexpected entry",
    "ENTRY_NOT_ALLOWED",
    () => [...good(), { name: "run.sh", data: Buffer.from("#!/bin/sh") }],
  ],
  [
    "bomb with lying sizes",
    "SIZE_MISMATCH",
    () => [
      ...good(),
      { name: "filestore/cd/cd01", data: Buffer.alloc(20 * 1024 * 1024), deflate: true, declaredSize: 1000 },
    ],
  ],
  [
    "bomb by ratio",
    "COMPRESSION_RATIO",
    () => [...good(), { name: "filestore/cd/cd02", data: Buffer.alloc(20 * 1024 * 1024), deflate: true }],
  ],
  [
    "corrupt entry",
    "CRC_MISMATCH",
    () => [...good().slice(0, 2), { name: "filestore/ab/ab01", data: Buffer.from("file"), crc: 1234 }],
  ],
  ["truncated archive", "TRUNCATED", () => buildZip(good()).subarray(0, 200)],
  ["missing dump", "MISSING_DUMP", () => good().filter((e) => e.name !== "dump.sql")],
  ["missing manifest", "MISSING_MANIFEST", () => good().filter((e) => e.name !== "manifest.json")],
  [
    "invalid manifest",
    "INVALID_MANIFEST",
    () => [good()[0]!, { name: "manifest.json", data: Buffer.from('{"odoo_dump":"2"}') }],
  ],
  [
    "manifest of a newer series",
    "NEWER_SERIES",
    () => [good()[0]!, { name: "manifest.json", data: manifest("19.0") }],
  ],
  [
    "\\connect other",
    "SQL_FORBIDDEN",
    () => [{ name: "dump.sql", data: dump("\\connect other") }, good()[1]!],
  ],
  [
    "CREATE ROLE",
    "SQL_FORBIDDEN",
    () => [{ name: "dump.sql", data: dump("CREATE ROLE evil SUPERUSER;") }, good()[1]!],
  ],
  [
    "DROP DATABASE",
    "SQL_FORBIDDEN",
    () => [{ name: "dump.sql", data: dump("DROP DATABASE gantry;") }, good()[1]!],
  ],
  [
    "COPY FROM PROGRAM",
    "SQL_FORBIDDEN",
    () => [{ name: "dump.sql", data: dump("COPY x FROM PROGRAM 'id';") }, good()[1]!],
  ],
  [
    "psql older than the dump",
    "PSQL_TOO_OLD",
    () => [{ name: "dump.sql", data: Buffer.from(dump().toString().replace("15.18", "99.1")) }, good()[1]!],
  ],
];
