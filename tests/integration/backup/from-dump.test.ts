// pg_dump files (plain .sql and custom-format .dump) turned into Odoo backup zips: the zip
// passes the same inspection as any upload and restores; a hostile or broken dump is refused.
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dumpToArchive, inspectArchive, restoreBackup } from "@gantry/backup";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adminConnection,
  createOdooLike,
  dropDatabase,
  type OdooLike,
  pgDump,
  scratchName,
  sql,
} from "./fixture";

let work: string;
let source: OdooLike;
const databases: string[] = [];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "gantry-from-dump-"));
  source = await createOdooLike(200, 1);
  // A module waiting for its upgrade is installed too; an uninstalled one ('sale') is not.
  await sql(source.name, "UPDATE ir_module_module SET state = 'to upgrade' WHERE name = 'mail'");
  await pgDump(source.name, join(work, "db.sql"), "plain");
  await pgDump(source.name, join(work, "db.dump"), "custom");
}, 120_000);

afterAll(async () => {
  for (const name of databases) await dropDatabase(name);
  await source?.cleanup();
  if (work) await rm(work, { recursive: true, force: true });
});

const expectedModules = {
  base: "18.0.1.3",
  mail: "18.0.1.15",
  my_module: "18.0.1.0.3",
  web: "18.0.1.0",
};

describe("pg_dump files to Odoo zips", () => {
  it.each(["sql", "dump"] as const)("converts a .%s dump: inspected, listed and restorable", async (kind) => {
    const output = join(work, `${kind}.zip`);
    const converted = await dumpToArchive({ input: join(work, `db.${kind}`), kind, output });
    const inspected = await inspectArchive(output, { targetSeries: "18.0" });
    expect(inspected.manifest.modules).toEqual(expectedModules);
    expect(inspected.manifest.major_version).toBe("18.0");
    expect(inspected.manifest.pg_version).toMatch(/^\d+\.0$/);
    expect(inspected.filestoreFiles).toBe(0);
    expect(inspected.screen?.copyRows.get("public.res_partner")).toBe(200);
    expect(converted.manifest).toEqual(inspected.manifest);
    // An older target series refuses it, like any archive of a newer series.
    await expect(inspectArchive(output, { targetSeries: "17.0" })).rejects.toMatchObject({
      code: "NEWER_SERIES",
    });
    const database = scratchName(`fd${kind}`);
    databases.push(database);
    await restoreBackup({
      archive: output,
      admin: adminConnection(),
      database,
      filestore: join(work, `${kind}-fs`),
      targetSeries: "18.0",
    });
    const [count] = await sql<{ n: string }>(database, "SELECT count(*) AS n FROM res_partner");
    expect(Number(count!.n)).toBe(200);
  });

  it.each([
    ["CREATE ROLE", "CREATE ROLE gantry_evil SUPERUSER LOGIN PASSWORD 'x';\n"],
    ["\\connect", "\\connect postgres\n"],
  ])("a .sql with %s converts but the zip is refused by inspection", async (label, hostile) => {
    const input = join(work, `hostile-${label.replace(/\W/g, "")}.sql`);
    await writeFile(input, Buffer.concat([await readFile(join(work, "db.sql")), Buffer.from(hostile)]));
    const output = `${input}.zip`;
    await dumpToArchive({ input, kind: "sql", output });
    await expect(inspectArchive(output, { targetSeries: "18.0" })).rejects.toMatchObject({
      code: "SQL_FORBIDDEN",
    });
  });

  it("refuses a file that is not a custom-format dump, leaving no zip behind", async () => {
    const input = join(work, "garbage.dump");
    await writeFile(input, "this is not a pg_dump archive\n".repeat(100));
    const output = join(work, "garbage.zip");
    await expect(dumpToArchive({ input, kind: "dump", output })).rejects.toMatchObject({
      code: "NOT_A_DUMP",
      message: expect.stringContaining("not a valid pg_dump"),
    });
    expect((await readdir(work)).filter((name) => name.startsWith("garbage.zip"))).toEqual([]);
  });

  it("refuses a dump without ir_module_module: not an Odoo database", async () => {
    const input = join(work, "plain-postgres.sql");
    await writeFile(input, "CREATE TABLE public.t (id integer);\nCOPY public.t (id) FROM stdin;\n1\n\\.\n");
    await expect(
      dumpToArchive({ input, kind: "sql", output: join(work, "plain-postgres.zip") }),
    ).rejects.toMatchObject({ code: "NOT_ODOO", message: expect.stringContaining("not an Odoo database") });
  });

  it("takes the branch's series when the module versions carry none, reading only the real block", async () => {
    const input = join(work, "bare.sql");
    await writeFile(
      input,
      [
        // Another table's row that looks like our COPY header is data, not a header.
        "COPY public.notes (body) FROM stdin;",
        "COPY public.ir_module_module (name, state, latest_version) FROM stdin;",
        "\\.",
        "CREATE TABLE public.ir_module_module (id integer, state text, name text, latest_version text);",
        "COPY public.ir_module_module (id, state, name, latest_version) FROM stdin;",
        "1\tinstalled\tbase\t1.3",
        "2\tuninstalled\tsale\t\\N",
        "3\tinstalled\tcustom\t\\N",
        "\\.",
        "",
      ].join("\n"),
    );
    const output = join(work, "bare.zip");
    await expect(dumpToArchive({ input, kind: "sql", output })).rejects.toMatchObject({ code: "NOT_ODOO" });
    const converted = await dumpToArchive({ input, kind: "sql", output, fallbackSeries: "17.0" });
    expect(converted.manifest.major_version).toBe("17.0");
    expect(converted.manifest.modules).toEqual({ base: "1.3", custom: null });
    expect((await inspectArchive(output, { targetSeries: "17.0" })).manifest.modules).toEqual({
      base: "1.3",
      custom: null,
    });
  });
});
