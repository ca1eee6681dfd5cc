// The restore reads an archive once, screening dump.sql on its way into psql: these cases
// pin what that must never change: a refused statement is never executed, not even the part
// psql would run at the end of its input, and nothing of a refused restore stays behind.
import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { restoreBackup } from "@gantry/backup";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { childrenNamed } from "../../support/child-processes";
import { waitFor } from "../queue/support";
import { adminConnection, databaseExists, dropDatabase, scratchName, sql } from "./fixture";
import { buildZip } from "./raw-zip";

let work: string;
const databases: string[] = [];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "gantry-single-pass-"));
});

afterAll(async () => {
  for (const name of databases) await dropDatabase(name);
  if (work) await rm(work, { recursive: true, force: true });
});

const manifest = Buffer.from(
  JSON.stringify({
    odoo_dump: "1",
    db_name: "prod",
    version: "18.0",
    major_version: "18.0",
    pg_version: "15.0",
    modules: { base: "18.0.1.3" },
  }),
);

/** A dump whose tables and rows load before `tail` (many rows, so psql is well under way). */
function dump(tail: string): Buffer {
  const rows = Array.from({ length: 20_000 }, (_, i) => `${i + 1}\tpartner ${i + 1}`).join("\n");
  return Buffer.from(
    [
      "-- Dumped by pg_dump version 15.18",
      "CREATE TABLE public.ir_module_module (id integer, name varchar, state varchar, latest_version varchar);",
      "CREATE TABLE public.res_partner (id integer, name varchar);",
      "COPY public.res_partner (id, name) FROM stdin;",
      rows,
      "\\.",
      "COPY public.ir_module_module (id, name, state, latest_version) FROM stdin;",
      "1\tbase\tinstalled\t18.0.1.3",
      "\\.",
      tail,
    ].join("\n"),
  );
}

async function restore(label: string, dumpSql: Buffer) {
  const path = join(work, `${label}.zip`);
  const files = Array.from({ length: 30 }, (_, i) => ({
    name: `filestore/${(i + 16).toString(16)}/${randomBytes(20).toString("hex")}`,
    data: randomBytes(2000),
  }));
  await writeFile(
    path,
    buildZip([
      { name: "dump.sql", data: dumpSql, deflate: true },
      ...files,
      { name: "manifest.json", data: manifest },
    ]),
  );
  const database = scratchName(label);
  databases.push(database);
  const filestore = join(work, `fs-${label}`);
  const run = restoreBackup({ archive: path, admin: adminConnection(), database, filestore });
  return { run, database, filestore };
}

describe("single-pass restore", () => {
  it("never runs a refused statement, even one psql holds unterminated when its input ends", async () => {
    // A directory the server's own user may write to: were the program run, the file appears.
    const open = await mkdtemp(join(tmpdir(), "gantry-program-"));
    await chmod(open, 0o777);
    const marker = join(open, "program-ran");
    // The server would run the program if psql ever received this statement and then EOF.
    const { run, database, filestore } = await restore(
      "program",
      dump(`COPY (SELECT 1) TO PROGRAM 'touch ${marker}'\n`),
    );
    await expect(run).rejects.toMatchObject({ code: "SQL_FORBIDDEN" });
    expect(await databaseExists(database)).toBe(false);
    expect(await readdir(filestore).catch((e) => e.code)).toBe("ENOENT");
    // Only a psql of ours still alive, or a server session still running the statement, could
    // yet run the program: once neither is left, the file's absence is final.
    await waitFor("psql and any session running the statement to be gone", async () => {
      const sessions = await sql(
        "postgres",
        "SELECT pid FROM pg_stat_activity WHERE position($1 in query) > 0 AND pid <> pg_backend_pid()",
        [marker],
      );
      return sessions.length === 0 && (await childrenNamed("psql")).length === 0 ? true : undefined;
    });
    expect(await stat(marker).catch((e) => e.code)).toBe("ENOENT");
    await rm(open, { recursive: true, force: true });
  });

  it("refuses a forbidden statement after the rows loaded, leaving nothing", async () => {
    const { run, database, filestore } = await restore("late", dump("CREATE ROLE evil SUPERUSER;\n"));
    await expect(run).rejects.toMatchObject({ code: "SQL_FORBIDDEN" });
    expect(await databaseExists(database)).toBe(false);
    expect(await readdir(filestore).catch((e) => e.code)).toBe("ENOENT");
    expect(await sql("postgres", "SELECT 1 FROM pg_roles WHERE rolname = 'evil'")).toEqual([]);
  });

  it("restores rows and filestore when the dump is accepted", async () => {
    const { run, database, filestore } = await restore("accepted", dump("SET lock_timeout = 0;\n"));
    const result = await run;
    expect(result.rows).toBe(20_001);
    expect(result.files).toBe(30);
    expect(await sql(database, "SELECT count(*)::int AS n FROM res_partner")).toEqual([{ n: 20_000 }]);
    expect((await readdir(filestore)).length).toBe(30);
  });

  it("refuses a corrupt filestore entry even when the filestore is not restored", async () => {
    const path = join(work, "corrupt-unrestored.zip");
    await writeFile(
      path,
      buildZip([
        { name: "dump.sql", data: dump("SET lock_timeout = 0;\n"), deflate: true },
        { name: "filestore/ab/ab01", data: Buffer.from("file"), crc: 1234 },
        { name: "manifest.json", data: manifest },
      ]),
    );
    const database = scratchName("corrupt");
    databases.push(database);
    await expect(
      restoreBackup({ archive: path, admin: adminConnection(), database, filestore: null }),
    ).rejects.toMatchObject({ code: "CRC_MISMATCH" });
    expect(await databaseExists(database)).toBe(false);
  });

  it("commits a dump cut inside COPY data as psql would have read it", async () => {
    const cut = Buffer.from(
      "CREATE TABLE public.ir_module_module (id integer, name varchar, state varchar, latest_version varchar);\n" +
        "COPY public.ir_module_module (id, name, state, latest_version) FROM stdin;\n" +
        "1\tbase\tinstalled\t18.0.1.3\n2\tweb\tinstalled\t18.0.1.0",
    );
    const { run, database } = await restore("cut", cut);
    await run;
    expect(await sql(database, "SELECT count(*)::int AS n FROM ir_module_module")).toEqual([{ n: 2 }]);
  });
});
