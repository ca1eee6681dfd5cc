// The settings of a development branch that change what its build does: module installation
// (full, a list), test tags, and "update previous build". Each is proved in the build's
// database and logs, not in the build's row alone.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BuildSuite, startBuildSuite } from "./suite";
import { devQuery, loginStatus, shaOf } from "./support";

let suite: BuildSuite;
let prisma: typeof import("@gantry/db").prisma;
let projectId: string;

beforeAll(async () => {
  suite = await startBuildSuite({ queues: ["builds"] });
  prisma = (await import("@gantry/db")).prisma;
  projectId = (await suite.project("settings", { name: "ACME settings" })).id;
}, 180_000);

afterAll(() => suite?.close(), 180_000);

type Settings = Partial<{
  moduleInstall: "MINE" | "FULL" | "LIST";
  moduleList: string[];
  testTags: string | null;
  onNewCommit: "NEW_BUILD" | "UPDATE_PREVIOUS" | "DO_NOTHING";
}>;

function branch(name: string, settings: Settings) {
  return prisma().branch.create({ data: { projectId, name, stage: "DEVELOPMENT", ...settings } });
}

/** Builds the fixture's commit `gitBranch` on the branch, as a push would, and waits for its end. */
async function build(branchId: string, gitBranch: string, trigger = "push") {
  const sha = await shaOf(join(suite.env.repos, "acme17.git"), gitBranch);
  const id = await suite.push({ projectId, branchId, stage: "DEVELOPMENT", sha, trigger });
  return suite.ended(id, 600_000);
}

async function inBuildDb<T extends Record<string, unknown>>(database: string, sql: string): Promise<T[]> {
  const { DEV_CLUSTER } = await import("./support");
  const pg = (await import("pg")).default;
  const client = new pg.Client({ ...DEV_CLUSTER, database });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

async function moduleStates(database: string): Promise<Map<string, string>> {
  const rows = await inBuildDb<{ name: string; state: string }>(
    database,
    "SELECT name, state FROM ir_module_module ORDER BY name",
  );
  return new Map(rows.map((r) => [r.name, r.state]));
}

const installed = (states: Map<string, string>) =>
  [...states].filter(([, state]) => state === "installed").map(([name]) => name);

function testsLog(buildId: string): Promise<string> {
  return readFile(join(suite.env.dataDir, "builds", buildId, "logs", "tests.log"), "utf8");
}

const phase = (b: { phases: { name: string; status: string; message: string | null }[] }, name: string) =>
  b.phases.find((p) => p.name === name);

describe("development branch settings", () => {
  it("full installation: every module of the image and of the checkout installed, no tests", async () => {
    const b = await branch("full", { moduleInstall: "FULL" });
    const ended = await build(b.id, "main");
    expect(ended.errorSummary).toBeNull();
    expect(ended.result).toBe("SUCCESS");
    const states = await moduleStates(ended.databaseName as string);
    // Odoo lists every module it finds in ir_module_module: none is left uninstalled.
    expect([...states].filter(([, state]) => state !== "installed")).toEqual([]);
    expect(installed(states)).toEqual(
      expect.arrayContaining([
        "sale",
        "stock",
        "account",
        "acme_base",
        "acme_sale_ext",
        "acme_docs",
        "acme_extra",
      ]),
    );
    expect(phase(ended, "tests")?.status).toBe("SKIPPED");
    await expect(testsLog(ended.id)).rejects.toThrow(/ENOENT/);
  }, 700_000);

  it("a list: exactly the listed modules and their dependencies, and only their tests", async () => {
    const b = await branch("list", { moduleInstall: "LIST", moduleList: ["acme_sale_ext"] });
    const ended = await build(b.id, "main");
    expect(ended.errorSummary).toBeNull();
    expect(ended.result).toBe("SUCCESS");
    const states = await moduleStates(ended.databaseName as string);
    const have = installed(states);
    expect(have).toEqual(expect.arrayContaining(["acme_sale_ext", "acme_base", "contacts", "mail"]));
    expect(have).not.toContain("acme_docs");
    expect(have).not.toContain("acme_extra");
    expect(have).not.toContain("sale");
    const log = await testsLog(ended.id);
    expect(log).toMatch(/Starting TestStage\.test_stages/);
    // acme_base is a dependency here: installed, not tested.
    expect(log).not.toMatch(/Starting TestProject\./);
  }, 700_000);

  it("test tags: passed as --test-tags, only the tagged tests run, shown on the tests phase", async () => {
    const b = await branch("tags", { testTags: "acme" });
    const ended = await build(b.id, "main");
    expect(ended.errorSummary).toBeNull();
    expect(ended.result).toBe("SUCCESS");
    const log = await testsLog(ended.id);
    expect(log).toMatch(/gantry: \$ odoo .* --test-tags acme( |$)/m);
    expect(log).toMatch(/Starting TestStage\.test_stages/);
    expect(log).toMatch(/Starting TestStagePost\.test_stage_column/);
    expect(log).not.toMatch(/Starting TestProject\./);
    expect(log).not.toMatch(/Starting TestProjectPost\./);
    expect(phase(ended, "tests")?.message).toContain("--test-tags acme");
  }, 700_000);

  it("update previous build: the next commit updates the previous build's database in place", async () => {
    const b = await branch("update", { onNewCommit: "UPDATE_PREVIOUS" });
    const first = await build(b.id, "main");
    expect(first.result).toBe("SUCCESS");
    const kept = first.databaseName as string;
    // A row only this database has: it must be in the next build's database.
    await inBuildDb(kept, "INSERT INTO acme_project (name, code, budget) VALUES ('Kept', 'KEPT', 7)");

    const second = await build(b.id, "bump", "update");
    expect(second.errorSummary).toBeNull();
    expect(second.result).toBe("SUCCESS");
    const database = phase(second, "database");
    expect(database?.message).toContain(first.id.slice(-6));
    expect(database?.message).toMatch(/update previous build/);
    // No new database: the previous one was renamed for this build, and its build let it go.
    expect(await devQuery("SELECT 1 FROM pg_database WHERE datname = $1", [kept])).toEqual([]);
    const after = await prisma().build.findUniqueOrThrow({ where: { id: first.id } });
    expect(after.databaseName).toBeNull();
    expect(after.servingAt).toBeNull();
    const db = second.databaseName as string;
    // -u acme_base on the kept data: its migration scripts ran and filled the new column.
    const rows = await inBuildDb<{ budget_eur: number }>(
      db,
      "SELECT budget_eur FROM acme_project WHERE code = 'KEPT'",
    );
    expect(rows).toEqual([{ budget_eur: 7 }]);
    const log = await inBuildDb<{ stage: string }>(db, "SELECT stage FROM acme_migration_log ORDER BY stage");
    expect(log.map((r) => r.stage)).toEqual(["post", "pre"]);
    const versions = await inBuildDb<{ latest_version: string }>(
      db,
      "SELECT latest_version FROM ir_module_module WHERE name = 'acme_base'",
    );
    expect(versions).toEqual([{ latest_version: "17.0.1.1.0" }]);
    // A development build tests what it updated, as Odoo does for the modules of a -u run.
    const tests = await testsLog(second.id);
    expect(tests).toMatch(/gantry: \$ odoo .* -u [a-z_,]*\bacme_base\b/m);
    expect(tests).toMatch(/Starting TestProject\.test_projects_loaded/);
    expect(second.httpPort).toBeGreaterThan(0);
    expect(await loginStatus(second)).toBe(200);
  }, 900_000);
});
