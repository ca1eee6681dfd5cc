import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createBackup, inspectArchive, listFilestore, restoreBackup, verifyBackup } from "@gantry/backup";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openEntry, openZip, readEntries } from "../../../packages/backup/src/archive/zip-reader";
import {
  adminConnection,
  createOdooLike,
  databaseExists,
  dropDatabase,
  type OdooLike,
  scratchName,
  sql,
} from "./fixture";
import { buildZip } from "./raw-zip";

let source: OdooLike;
let work: string;
let archive: string;
const created: string[] = [];

beforeAll(async () => {
  source = await createOdooLike(5000, 40);
  work = await mkdtemp(join(tmpdir(), "gantry-backup-work-"));
  archive = join(work, "backup.zip");
});

afterAll(async () => {
  for (const name of created) await dropDatabase(name);
  await source?.cleanup();
  if (work) await rm(work, { recursive: true, force: true });
});

async function zipEntries(path: string): Promise<Map<string, Buffer>> {
  const zip = await openZip(path);
  const out = new Map<string, Buffer>();
  for (const raw of await readEntries(zip, 10_000)) {
    if (raw.name.endsWith("/")) continue;
    const chunks: Buffer[] = [];
    for await (const c of await openEntry(zip, raw)) chunks.push(c as Buffer);
    out.set(raw.name, Buffer.concat(chunks));
  }
  zip.close();
  return out;
}

async function tableDigest(database: string, table: string): Promise<string> {
  const [row] = await sql<{ d: string }>(
    database,
    `SELECT md5(string_agg(t::text, '|' ORDER BY id)) AS d FROM ${table} t`,
  );
  return row!.d;
}

describe("backup, inspect, verify, restore", () => {
  it("writes an Odoo backup with dump, filestore and manifest", async () => {
    const result = await createBackup({
      source: { ...adminConnection(), database: source.name },
      filestore: source.filestore,
      output: archive,
    });
    const bytes = await readFile(archive);
    expect(result.sizeBytes).toBe(bytes.length);
    expect(result.sha256).toBe(createHash("sha256").update(bytes).digest("hex"));
    expect(result.fileCount).toBe(40);
    expect(result.symlinksSkipped).toBe(1);
    expect(result.manifest.modules).toEqual({
      base: "18.0.1.3",
      mail: "18.0.1.15",
      my_module: "18.0.1.0.3",
      web: "18.0.1.0",
    });
    expect(result.manifest.major_version).toBe("18.0");
    expect(result.manifest.gantry?.row_counts["public.res_partner"]).toBe(5000);
    expect(result.manifest.gantry?.row_counts["public.ir_attachment"]).toBe(40);

    const entries = await zipEntries(archive);
    expect(entries.get("dump.sql")!.toString()).toContain("COPY public.res_partner");
    expect(JSON.parse(entries.get("manifest.json")!.toString()).odoo_dump).toBe("1");
    for (const [rel, sum] of source.files) {
      expect(
        createHash("sha256")
          .update(entries.get(`filestore/${rel}`)!)
          .digest("hex"),
      ).toBe(sum);
    }
    expect([...entries.keys()].some((n) => n.includes("evil-link"))).toBe(false);
  });

  it("inspects and verifies the backup, dropping the scratch copies", async () => {
    const inspected = await inspectArchive(archive, { targetSeries: "18.0" });
    expect(inspected.filestoreFiles).toBe(40);
    expect(inspected.screen?.copyRows.get("public.res_partner")).toBe(5000);
    const before = await sql<{ datname: string }>("postgres", "SELECT datname FROM pg_database");
    const report = await verifyBackup({ archive, admin: adminConnection(), scratchDir: work });
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.rowCountSource).toBe("snapshot");
    expect(report.checked.files).toBe(40);
    expect(report.checked.modules).toBe(4);
    // No scratch copy is left. Only verification's own databases are compared: the server is
    // shared with other suites, whose databases come and go meanwhile.
    const after = await sql<{ datname: string }>("postgres", "SELECT datname FROM pg_database");
    const scratch = (rows: { datname: string }[]) =>
      rows
        .map((r) => r.datname)
        .filter((name) => name.startsWith("gantry_verify_"))
        .sort();
    expect(scratch(after)).toEqual(scratch(before));
    expect((await readdir(work)).filter((name) => name.startsWith("verify-"))).toEqual([]);
  });

  it("reports a backup whose content does not match what the source had", async () => {
    const entries = await zipEntries(archive);
    const manifest = JSON.parse(entries.get("manifest.json")!.toString());
    manifest.gantry.row_counts["public.res_partner"] = 4999;
    const firstFile = [...source.files.keys()][0]!;
    manifest.gantry.filestore.sha256[firstFile] = "0".repeat(64);
    const tampered = join(work, "tampered.zip");
    await writeFile(
      tampered,
      buildZip(
        [...entries].map(([name, data]) => ({
          name,
          data: name === "manifest.json" ? Buffer.from(JSON.stringify(manifest)) : data,
          deflate: true,
        })),
      ),
    );
    const report = await verifyBackup({ archive: tampered, admin: adminConnection(), scratchDir: work });
    expect(report.ok).toBe(false);
    expect(report.problems).toContain("table public.res_partner: 5000 rows restored, 4999 expected");
    expect(report.problems).toContain(`file ${firstFile}: checksum differs`);
  });

  it("restores into a new database and filestore, as a copy", async () => {
    const database = scratchName("restored");
    created.push(database);
    const filestore = join(work, "restored-filestore");
    const result = await restoreBackup({
      archive,
      admin: adminConnection(),
      database,
      filestore,
      targetSeries: "18.0",
      asCopy: true,
    });
    expect(result.files).toBe(40);
    expect(result.rows).toBe(5000 + 40 + 5 + 2);
    for (const table of ["res_partner", "ir_attachment", "ir_module_module"]) {
      expect(await tableDigest(database, table)).toBe(await tableDigest(source.name, table));
    }
    const uuid = async (db: string) =>
      (
        await sql<{ value: string }>(db, "SELECT value FROM ir_config_parameter WHERE key = 'database.uuid'")
      )[0]!.value;
    expect(result.newUuid).toBe(await uuid(database));
    expect(await uuid(database)).not.toBe(await uuid(source.name));
    const listing = await listFilestore(filestore);
    expect(listing.files.sort()).toEqual([...source.files.keys()].sort());
    for (const [rel, sum] of source.files) {
      expect(
        createHash("sha256")
          .update(await readFile(join(filestore, rel)))
          .digest("hex"),
      ).toBe(sum);
    }
    // The same target again is refused, and the existing database is left alone.
    await expect(
      restoreBackup({ archive, admin: adminConnection(), database, filestore: null }),
    ).rejects.toMatchObject({
      code: "TARGET_EXISTS",
    });
    expect(await databaseExists(database)).toBe(true);
  });

  it("writes a backup without filestore to any stream", async () => {
    const path = join(work, "nofs.zip");
    const result = await createBackup({
      source: { ...adminConnection(), database: source.name },
      output: createWriteStream(path),
    });
    expect(result.fileCount).toBe(0);
    expect((await stat(path)).size).toBe(result.sizeBytes);
    const entries = await zipEntries(path);
    expect([...entries.keys()].sort()).toEqual(["dump.sql", "manifest.json"]);
    expect(result.manifest.gantry?.filestore).toBeNull();
  });

  it("fails cleanly when the source database does not exist", async () => {
    const path = join(work, "missing.zip");
    await expect(
      createBackup({ source: { ...adminConnection(), database: scratchName("absent") }, output: path }),
    ).rejects.toThrow();
    await expect(stat(path)).rejects.toMatchObject({ code: "ENOENT" });
  });
});
