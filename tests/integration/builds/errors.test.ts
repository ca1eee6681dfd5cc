// Errors grouped across builds, through the queue and a real worker: three development builds
// of one commit of the `flaky` fixture branch. Its test fails when the build's database name
// ends in "flaky", so the build ids chosen here decide: the first run passes, the next two fail
// with the same traceback naming their own (different) databases.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIXTURE_REPO } from "../../support/odoo-target";
import { type BuildSuite, startBuildSuite } from "./suite";
import { shaOf } from "./support";

let suite: BuildSuite;
let prisma: typeof import("@gantry/db").prisma;
let core: typeof import("@gantry/core");
let projectId: string;
let branchId: string;
const admin = { userId: "errors-admin", isAdmin: true, memberships: {}, tokenProjectIds: null };
const run = Math.random().toString(36).slice(2, 8);
const ids = { pass: `e${run}pass`, first: `e${run}aflaky`, second: `e${run}bflaky` };

beforeAll(async () => {
  suite = await startBuildSuite({ queues: ["builds"] });
  prisma = (await import("@gantry/db")).prisma;
  core = await import("@gantry/core");
  projectId = (await suite.project("errs", { name: "Errors" })).id;
  branchId = (await prisma().branch.create({ data: { projectId, name: "flaky", stage: "DEVELOPMENT" } })).id;
  const sha = await shaOf(join(suite.env.repos, `${FIXTURE_REPO}.git`), "flaky");
  // One after the other, as a push and two rebuilds of the same commit.
  for (const id of [ids.pass, ids.first, ids.second]) {
    await suite.push({ projectId, branchId, stage: "DEVELOPMENT", sha, id, trigger: "rebuild" });
    await suite.ended(id);
  }
}, 1_200_000);

afterAll(() => suite?.close(), 120_000);

const failure = "FAIL: TestFlaky.test_depends_on_the_run";

describe("errors grouped across builds", () => {
  it("runs the commit as the test decided: green, then red twice", async () => {
    const results = await prisma().build.findMany({
      where: { id: { in: Object.values(ids) } },
      select: { id: true, result: true },
    });
    expect(Object.fromEntries(results.map((r) => [r.id, r.result]))).toEqual({
      [ids.pass]: "SUCCESS",
      [ids.first]: "FAILED",
      [ids.second]: "FAILED",
    });
  });

  it("groups the two builds' identical tracebacks (other databases, other ids) into one group of two", async () => {
    const { groups } = await core.listErrorGroups(admin, projectId, { search: failure });
    expect(groups).toHaveLength(1);
    const group = groups[0] as (typeof groups)[number];
    expect(group.count).toBe(2);
    expect(group.stages).toEqual(["DEVELOPMENT"]);
    expect(group.branches.map((b) => b.name)).toEqual(["flaky"]);
    const detail = await core.getErrorGroup(admin, projectId, group.id);
    expect(new Set(detail.occurrences.map((o) => o.buildId))).toEqual(new Set([ids.first, ids.second]));
    // Each occurrence's own text names its own database: the normaliser made them one.
    expect(detail.occurrences.map((o) => o.text).join("\n")).toContain(`gantry_b_${ids.first}`);
    expect(detail.occurrences.map((o) => o.text).join("\n")).toContain(`gantry_b_${ids.second}`);
    // The line links to the record in the log file.
    for (const occurrence of detail.occurrences) {
      expect(occurrence.file).toBe("tests.log");
      const log = await readFile(
        join(suite.env.dataDir, "builds", occurrence.buildId, "logs", "tests.log"),
        "utf8",
      );
      expect(log.split("\n")[occurrence.line - 1]).toContain(failure);
      expect(occurrence.viewUrl).toBe(
        `/projects/${projectId}/builds/${occurrence.buildId}?log=tests.log&line=${occurrence.line}`,
      );
    }
    // The loader's summary line names each database too, and still makes one group.
    const summary = await core.listErrorGroups(admin, projectId, { search: "odoo.tests.result" });
    expect(summary.groups.map((g) => g.count)).toEqual([2]);
  });

  it("flags as flaky what fails on some runs of the commit but not all", async () => {
    const flaky = await core.listErrorGroups(admin, projectId, { flaky: true });
    expect(flaky.groups.map((g) => g.title)).toContain(`odoo.addons.acme_base.tests.test_flaky: ${failure}`);
    expect(flaky.groups.every((g) => g.flakyCommit === flaky.groups[0]?.flakyCommit)).toBe(true);
    const steady = await core.listErrorGroups(admin, projectId, { flaky: false });
    expect(steady.groups.map((g) => g.title).filter((t) => t.includes(failure))).toEqual([]);
  });

  it("says which groups are new since the branch's previous build", async () => {
    const rows = await prisma().build.findMany({ where: { id: { in: [ids.first, ids.second] } } });
    const first = rows.find((r) => r.id === ids.first)!;
    const second = rows.find((r) => r.id === ids.second)!;
    const fresh = await core.newErrorGroupsOfBuild(admin, first);
    expect(fresh.map((g) => g.title)).toContain(`odoo.addons.acme_base.tests.test_flaky: ${failure}`);
    expect(await core.newErrorGroupsOfBuild(admin, second)).toEqual([]);
  });

  it("never counts a record twice when a build's logs are read again", async () => {
    const { scanBuildErrors } = await import("../../../apps/worker/src/errors/scan");
    const before = await prisma().errorGroup.findMany({
      where: { projectId },
      select: { id: true, count: true },
    });
    await prisma().errorScan.delete({ where: { buildId: ids.first } });
    const again = await scanBuildErrors(ids.first, { final: true });
    expect(again.occurrences).toBe(0);
    expect(again.lines).toBeGreaterThan(0);
    const after = await prisma().errorGroup.findMany({
      where: { projectId },
      select: { id: true, count: true },
    });
    expect(after).toEqual(expect.arrayContaining(before));
    expect(after).toHaveLength(before.length);
  });
});
