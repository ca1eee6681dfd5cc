// "Update modules whose files changed": on production, a module whose files changed without a
// version bump is updated only with the branch's setting on, and the change is remembered
// until it is applied (the database's record, not the previous build's checkout, is compared).
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROD_CLUSTER } from "../../support/clusters";
import { FIXTURE_REPO } from "../../support/odoo-target";
import { type BuildSuite, startBuildSuite } from "./suite";
import { shaOf } from "./support";

let suite: BuildSuite;
let prisma: typeof import("@gantry/db").prisma;
let projectId: string;
let branchId: string;
let database: string;

beforeAll(async () => {
  suite = await startBuildSuite({ queues: ["builds"] });
  prisma = (await import("@gantry/db")).prisma;
  projectId = (await suite.project("changed", { name: "ACME changed modules" })).id;
  const branch = await prisma().branch.create({
    data: { projectId, name: "main", stage: "PRODUCTION", onNewCommit: "UPDATE_PREVIOUS" },
  });
  branchId = branch.id;
  database = `gantry_p_${branch.id}`;
}, 180_000);

afterAll(() => suite?.close(), 180_000);

async function build(commitOf: string) {
  const id = await suite.push({
    projectId,
    branchId,
    stage: "PRODUCTION",
    sha: await shaOf(join(suite.env.repos, `${FIXTURE_REPO}.git`), commitOf),
    trigger: "update",
  });
  const ended = await suite.ended(id);
  expect(ended.errorSummary).toBeNull();
  expect(ended.result).toBe("SUCCESS");
  return ended;
}

async function codes(): Promise<string[]> {
  const client = new pg.Client({ ...PROD_CLUSTER, database });
  await client.connect();
  try {
    return (await client.query<{ code: string }>("SELECT code FROM acme_project ORDER BY code")).rows.map(
      (r) => r.code,
    );
  } finally {
    await client.end();
  }
}

const phase = (b: { phases: { name: string; status: string; message: string | null }[] }, name: string) =>
  b.phases.find((p) => p.name === name);

describe("updating the modules whose files changed", () => {
  it("records each installed module's checksum when production is installed", async () => {
    const first = await build("main");
    const sums = first.moduleChecksums as Record<string, string>;
    // The checkout's installed modules; Odoo's own (base, mail…) are the image's, not recorded.
    expect(Object.keys(sums).sort()).toEqual(["acme_base", "acme_docs", "acme_sale_ext"]);
    expect(sums.acme_base).toMatch(/^[0-9a-f]{64}$/);
    expect(await codes()).toEqual(["INT", "SUP"]);
  }, 500_000);

  it("with the setting off, a change without a version bump is not applied, and stays pending", async () => {
    const main = await prisma().build.findFirstOrThrow({
      where: { branchId },
      orderBy: { createdAt: "asc" },
    });
    const off = await build("nobump");
    expect(phase(off, "install")?.status).toBe("SKIPPED");
    expect(phase(off, "database")?.message).toMatch(/no module version went up/);
    expect(await codes()).toEqual(["INT", "SUP"]);
    // Not updated: the database still holds main's acme_base, and says so.
    const sums = off.moduleChecksums as Record<string, string>;
    expect(sums.acme_base).toBe((main.moduleChecksums as Record<string, string>).acme_base);
  }, 500_000);

  it("with the setting on, the same commit updates exactly that module, saying why", async () => {
    await prisma().branch.update({ where: { id: branchId }, data: { updateChangedModules: true } });
    const on = await build("nobump");
    expect(phase(on, "install")?.status).toBe("DONE");
    expect(phase(on, "database")?.message).toMatch(/to update: acme_base \(files changed, same version\)/);
    expect(phase(on, "database")?.message).toMatch(/backup "update"/);
    const { readFile } = await import("node:fs/promises");
    const update = await readFile(join(suite.env.dataDir, "builds", on.id, "logs", "update.log"), "utf8");
    expect(update.split("\n").find((line) => line.includes("gantry: $ "))).toMatch(/ -u acme_base /);
    expect(update).toMatch(/modules whose files changed with the same version: acme_base/);
    expect(await codes()).toEqual(["INT", "SUP", "TRN"]);

    // Applied: the next build of the same code finds nothing to do.
    const again = await build("nobump");
    expect(phase(again, "install")?.status).toBe("SKIPPED");
    expect(phase(again, "install")?.message).toMatch(/no module's files changed/);
  }, 900_000);
});
