import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ADDONS,
  checkout,
  cloneDb,
  DB_ARGS,
  dataDir,
  dropDb,
  LOG_LINE,
  makeTemplate,
  odoo,
  query,
  removeTestContainers,
  requireImages,
  uniqueDb,
} from "./helpers";

const MODULES = "acme_base,acme_sale_ext,acme_docs,acme_extra";
const dbs: string[] = [];
let template: string;

function newDb(): string {
  const db = uniqueDb();
  dbs.push(db);
  return db;
}

beforeAll(async () => {
  await requireImages(["17.0", "18.0"]);
  template = await makeTemplate();
  dbs.push(template);
});

afterAll(async () => {
  await removeTestContainers();
  for (const db of dbs) await dropDb(db);
});

describe("odoo -i with --test-enable --stop-after-init", () => {
  it("installs the project's modules with real tables and exits 0 on the good branch", async () => {
    const source = await checkout("acme17", "main");
    const db = newDb();
    await cloneDb(template, db);
    const run = await odoo(
      [
        "odoo",
        "-d",
        db,
        ...DB_ARGS,
        "--addons-path",
        ADDONS,
        "-i",
        MODULES,
        "--test-enable",
        "--stop-after-init",
      ],
      { source, data: await dataDir() },
    );
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const lines = run.stdout.split("\n").filter(Boolean);
    for (const line of lines.filter((l) => /^\d{4}-/.test(l))) expect(line).toMatch(LOG_LINE);
    expect(run.stdout).toMatch(/ INFO \S+ odoo\.modules\.loading: Modules loaded\./);
    expect(run.stdout).toMatch(/ INFO \S+ odoo\.service\.server: Initiating shutdown/);
    expect(run.stdout).toMatch(/Starting TestProject\.test_create_project \.\.\./);
    expect(run.stdout).toMatch(/Starting TestStagePost\.test_stage_column \.\.\./);
    expect(run.stdout).not.toMatch(/ (ERROR|CRITICAL) /);
    expect(run.stdout).not.toContain("test_never_runs");
    const modules = await query<{ name: string; state: string; latest_version: string }>(
      db,
      "SELECT name, state, latest_version FROM ir_module_module WHERE name LIKE 'acme%' ORDER BY name",
    );
    expect(modules).toEqual([
      { name: "acme_base", state: "installed", latest_version: "17.0.1.0.0" },
      { name: "acme_docs", state: "installed", latest_version: "17.0.1.0.0" },
      { name: "acme_extra", state: "installed", latest_version: "17.0.1.0.0" },
      { name: "acme_sale_ext", state: "installed", latest_version: "17.0.1.0.0" },
    ]);
    const projects = await query<{ code: string }>(db, "SELECT code FROM acme_project ORDER BY code");
    expect(projects.map((p) => p.code)).toEqual(["DEMO", "INT", "SUP"]);
  });

  it("logs a failing at_install test as ERROR with its traceback and exits 1", async () => {
    const source = await checkout("acme17", "fail-at-install");
    const db = newDb();
    await cloneDb(template, db);
    const run = await odoo(
      [
        "odoo",
        "-d",
        db,
        ...DB_ARGS,
        "--addons-path",
        ADDONS,
        "-i",
        MODULES,
        "--test-enable",
        "--stop-after-init",
      ],
      { source, data: await dataDir() },
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      / ERROR \S+ odoo\.addons\.acme_base\.tests\.test_failing: FAIL: TestFailing\.test_budget_is_positive\nTraceback \(most recent call last\):/,
    );
    expect(run.stdout).toMatch(/odoo\.modules\.loading: At least one test failed when loading the modules\./);
    expect(run.stdout).not.toMatch(/Modules loaded\./);
    expect(run.stdout).toMatch(
      /ERROR \S+ odoo\.tests\.result: 1 failed, 0 error\(s\) of \d+ tests when loading database '/,
    );
  });

  it("reports a failing post_install test after Modules loaded. and exits 1", async () => {
    const source = await checkout("acme17", "fail-post-install");
    const db = newDb();
    await cloneDb(template, db);
    const run = await odoo(
      [
        "odoo",
        "-d",
        db,
        ...DB_ARGS,
        "--addons-path",
        ADDONS,
        "-i",
        MODULES,
        "--test-enable",
        "--stop-after-init",
      ],
      { source, data: await dataDir() },
    );
    expect(run.code).toBe(1);
    const loaded = run.stdout.indexOf("Modules loaded.");
    const fail = run.stdout.indexOf("FAIL: TestPostFailing.test_stage_count");
    expect(loaded).toBeGreaterThan(0);
    expect(fail).toBeGreaterThan(loaded);
  });

  it("runs only the tests selected by --test-tags", async () => {
    const source = await checkout("acme17", "main");
    const db = newDb();
    await cloneDb(template, db);
    const run = await odoo(
      [
        "odoo",
        "-d",
        db,
        ...DB_ARGS,
        "--addons-path",
        ADDONS,
        "-i",
        MODULES,
        "--test-tags",
        "acme",
        "--stop-after-init",
      ],
      { source, data: await dataDir() },
    );
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toContain("Starting TestStage.test_stages ...");
    expect(run.stdout).not.toContain("Starting TestProject.");
  });

  it("fails database initialization on a manifest version of another series", async () => {
    const source = await checkout("acme17", "bad-version");
    const db = newDb();
    await cloneDb(template, db);
    const run = await odoo(
      ["odoo", "-d", db, ...DB_ARGS, "--addons-path", ADDONS, "-i", "acme_base", "--stop-after-init"],
      {
        source,
      },
    );
    expect(run.code).not.toBe(0);
    expect(run.stdout).toMatch(/ CRITICAL \S+ odoo\.service\.server: Failed to initialize database `/);
    expect(run.stdout).toContain("Invalid version");
  });

  it("refuses a database of a newer series", async () => {
    const db = newDb();
    const created = await odoo(["odoo", "-d", db, ...DB_ARGS, "--without-demo=all", "--stop-after-init"], {
      series: "18.0",
    });
    expect(created.code, created.stdout).toBe(0);
    const run = await odoo(["odoo", "-d", db, ...DB_ARGS, "-u", "all", "--stop-after-init"], {
      series: "17.0",
    });
    expect(run.code).not.toBe(0);
    expect(run.stdout).toMatch(/CRITICAL .*Failed to initialize database/);
    expect(run.stdout).toContain("newer series");
  });
});
