// The upgrade procedure against the Odoo stand-in: a 16.0 database made from the acme16
// fixture (data and attachments) upgraded to 17.0 on a working copy, and the two ways it can
// fail (a post script that raises, a module that cannot load on 17.0), each leaving the source
// database and filestore exactly as they were.
import { cp, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { filestoreOf } from "../../../apps/worker/src/shared/workspace";
import { fingerprint } from "../../../apps/worker/src/upgrades/fingerprint";
import { runUpgradeProcedure, UpgradeFailure } from "../../../apps/worker/src/upgrades/procedure";
import { fileSkippedOnRealOdoo } from "../../support/real-odoo-skips";
import { checkout, dropDb, PG, query, removeTestContainers } from "../standin/helpers";
import { attemptOn, databaseExists as exists, makeAcme16Source, type Source16 } from "./support";

const dbs: string[] = [];
let source: Source16;
let before: Awaited<ReturnType<typeof fingerprint>>;

async function attempt(code: string) {
  const made = await attemptOn(source, code);
  dbs.push(made.copy);
  return made;
}

// Files that cannot run on real Odoo are skipped whole, hooks included (real-odoo-skips.ts).
describe.skipIf(fileSkippedOnRealOdoo(import.meta.filename))("upgrade procedure", () => {
  beforeAll(async () => {
    source = await makeAcme16Source();
    dbs.push(source.database);
    before = await fingerprint({ ...PG, database: source.database }, source.filestore);
  });

  afterAll(async () => {
    await removeTestContainers();
    for (const db of dbs) await dropDb(db);
  });

  it("made a 16.0 source with data and attachments in its filestore", async () => {
    expect(before.files).toBe(2);
    const rows = await query<{ latest_version: string }>(
      source.database,
      "SELECT latest_version FROM ir_module_module WHERE name = 'acme_legacy'",
    );
    expect(rows[0]?.latest_version).toBe("16.0.1.0.0");
  });

  it("upgrades a copy from 16.0 to 17.0: pre script, -u all with module migrations, post script, verified", async () => {
    const { input, copy, steps } = await attempt(await checkout("acme16", "17.0"));
    const report = await runUpgradeProcedure(input);

    expect(steps).toEqual([
      "copy:running",
      "copy:done",
      "pre:running",
      "pre:done",
      "update:running",
      "update:done",
      "post:running",
      "post:done",
      "verify:running",
      "verify:done",
    ]);
    expect(report.logStatus).not.toBe("failed");
    expect(report.errors).toEqual([]);
    const legacy = report.modules.find((m) => m.name === "acme_legacy");
    expect(legacy).toEqual({
      name: "acme_legacy",
      before: "16.0.1.0.0",
      after: "17.0.1.0.0",
      state: "installed",
    });
    const base = report.modules.find((m) => m.name === "base");
    expect(base?.before?.startsWith("16.0.")).toBe(true);
    expect(base?.after?.startsWith("17.0.")).toBe(true);
    expect(report.rows.find((r) => r.table === "acme_legacy")).toEqual({
      table: "acme_legacy",
      before: 2,
      after: 2,
    });
    expect(report.rows.find((r) => r.table === "ir_attachment")?.after).toBe(
      report.rows.find((r) => r.table === "ir_attachment")?.before,
    );

    // pre.py created the log table, post.py wrote after -u all; the module's own 17.0 migration ran.
    const stages = await query<{ stage: string }>(
      copy,
      "SELECT stage FROM acme_upgrade_log ORDER BY at, stage DESC",
    );
    expect(stages.map((s) => s.stage)).toEqual(["pre", "post"]);
    const legacyRows = await query<{ name: string; amount: number }>(
      copy,
      "SELECT name, amount FROM acme_legacy ORDER BY name",
    );
    expect(legacyRows).toEqual([
      { name: "First (17.0)", amount: 3 },
      { name: "Second (17.0)", amount: 5 },
    ]);
    const log = await readFile(input.logFile, "utf8");
    expect(log).toMatch(/running upgrade\/pre\.py \(version 16\.0\./);
    expect(log).toMatch(/Running migration \[17\.0\.1\.0\.0<\] post-series/);
    expect(log).toMatch(/upgrade\/post\.py done/);

    // The copy has the attachments; the source has not moved.
    const copied = await fingerprint({ ...PG, database: copy }, filestoreOf(source.dataDir, copy));
    expect(copied.filestore).toBe(before.filestore);
    expect(await fingerprint({ ...PG, database: source.database }, source.filestore)).toEqual(before);
    const sourceVersion = await query<{ latest_version: string }>(
      source.database,
      "SELECT latest_version FROM ir_module_module WHERE name = 'acme_legacy'",
    );
    expect(sourceVersion[0]?.latest_version).toBe("16.0.1.0.0");
  });

  it("fails at the post script when it raises, drops the copy and leaves the source intact", async () => {
    const code = join(await mkdtemp(join(tmpdir(), "gantry-upgrade-code-")), "src");
    await cp(await checkout("acme16", "17.0"), code, { recursive: true });
    await writeFile(
      join(code, "upgrade/post.py"),
      'def migrate(cr, version):\n    cr.execute("DELETE FROM acme_legacy")\n    raise RuntimeError("post-migration refuses")\n',
    );
    const { input, copy } = await attempt(code);
    const failure = await runUpgradeProcedure(input).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(UpgradeFailure);
    expect((failure as UpgradeFailure).step).toBe("post");
    expect((failure as UpgradeFailure).report.logStatus).toBe("failed");
    expect(
      (failure as UpgradeFailure).report.errors.some((e) => e.text.includes("post-migration refuses")),
    ).toBe(true);
    expect(await readFile(input.logFile, "utf8")).toMatch(/RuntimeError: post-migration refuses/);
    expect(await exists(copy)).toBe(false);
    expect(await fingerprint({ ...PG, database: source.database }, source.filestore)).toEqual(before);
  });

  it("fails at -u all when a module cannot load on 17.0, drops the copy and leaves the source intact", async () => {
    // The 16.0 code: acme_legacy declares 16.0.1.0.0, an invalid manifest on 17.0.
    const { input, copy, steps } = await attempt(await checkout("acme16", "main"));
    const failure = await runUpgradeProcedure(input).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(UpgradeFailure);
    expect((failure as UpgradeFailure).step).toBe("update");
    expect(steps).toContain("update:failed");
    expect(steps).not.toContain("post:running");
    expect((failure as UpgradeFailure).message).toMatch(/-u all on 17\.0 failed/);
    expect(await exists(copy)).toBe(false);
    expect(await fingerprint({ ...PG, database: source.database }, source.filestore)).toEqual(before);
  });
});
