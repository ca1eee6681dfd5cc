import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspectArchive, restoreBackup } from "@gantry/backup";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminConnection, databaseExists, dropDatabase, scratchName } from "./fixture";
import { good, hostileCases } from "./hostile-cases";
import { buildZip } from "./raw-zip";

let work: string;
const databases: string[] = [];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "gantry-hostile-"));
});

afterAll(async () => {
  for (const name of databases) await dropDatabase(name);
  if (work) await rm(work, { recursive: true, force: true });
});

describe("hostile archives", () => {
  it("restores the well-formed base archive (so each refusal below is the hostile part's doing)", async () => {
    const path = join(work, "good.zip");
    await writeFile(path, buildZip(good()));
    const database = scratchName("good");
    databases.push(database);
    const result = await restoreBackup({
      archive: path,
      admin: adminConnection(),
      database,
      filestore: join(work, "good-fs"),
      targetSeries: "18.0",
    });
    expect(result.files).toBe(1);
    expect(await databaseExists(database)).toBe(true);
  });

  it.each(hostileCases)("refuses %s with %s and creates nothing", async (label, code, make) => {
    const built = make();
    const path = join(work, `${label.replace(/\W+/g, "-")}.zip`);
    await writeFile(path, Buffer.isBuffer(built) ? built : buildZip(built));
    // The psql version is a property of this machine, not of the archive: inspection passes.
    if (code === "PSQL_TOO_OLD")
      await expect(inspectArchive(path, { targetSeries: "18.0" })).resolves.toBeDefined();
    else await expect(inspectArchive(path, { targetSeries: "18.0" })).rejects.toMatchObject({ code });
    const database = scratchName("hostile");
    databases.push(database);
    const filestore = join(work, `fs-${label.replace(/\W+/g, "-")}`);
    await expect(
      restoreBackup({ archive: path, admin: adminConnection(), database, filestore, targetSeries: "18.0" }),
    ).rejects.toMatchObject({ code });
    expect(await databaseExists(database)).toBe(false);
    expect(await readdir(filestore).catch((e) => e.code)).toBe("ENOENT");
  });
});
