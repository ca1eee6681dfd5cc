// Two pushes to one branch in quick succession, with two worker slots free: the builds take the
// branch one after the other in push order (the branch lock), both finish green, and retention
// (one development build kept here) leaves the newer commit serving and the older one cleaned.
import { execFile } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BuildSuite, startBuildSuite } from "./suite";
import { devQuery, loginStatus, waitFor } from "./support";

const run = promisify(execFile);
let suite: BuildSuite;
let prisma: typeof import("@gantry/db").prisma;
let queue: typeof import("@gantry/queue");
let projectId: string;
/** Two commits pushed one after the other on a new branch of the fixture repository. */
async function twoPushes(branch: string): Promise<[string, string]> {
  const work = await mkdtemp(join(tmpdir(), "gantry-twice-"));
  const g = async (...args: string[]) =>
    (
      await run("git", ["-C", work, "-c", "user.name=Dev", "-c", "user.email=dev@example.com", ...args])
    ).stdout.trim();
  await run("git", ["clone", "-q", "--branch", "main", join(suite.env.repos, "acme17.git"), work]);
  await g("checkout", "-q", "-b", branch);
  const shas: string[] = [];
  for (const n of [1, 2]) {
    await writeFile(join(work, `NOTES-${n}.md`), `push ${n}\n`);
    await g("add", "-A");
    await g("commit", "-q", "-m", `push ${n}`);
    await g("push", "-q", "origin", branch);
    shas.push(await g("rev-parse", "HEAD"));
  }
  return [shas[0]!, shas[1]!];
}

beforeAll(async () => {
  // Retention keeps one development build per branch here.
  suite = await startBuildSuite({ queues: ["builds"], environment: () => ({ BUILD_DEV_KEEP: "1" }) });
  prisma = (await import("@gantry/db")).prisma;
  queue = await import("@gantry/queue");
  projectId = (await suite.project("twice", { name: "Twice" })).id;
}, 300_000);

afterAll(() => suite?.close(), 120_000);

describe("two pushes to one branch in quick succession", () => {
  it("build one at a time in push order; the newer one serves, the older is cleaned", async () => {
    const [first, second] = await twoPushes("twice");
    const branch = await prisma().branch.create({ data: { projectId, name: "twice", stage: "DEVELOPMENT" } });
    const ids: string[] = [];
    for (const sha of [first, second]) {
      const build = await prisma().build.create({
        data: { projectId, branchId: branch.id, stage: "DEVELOPMENT", commitSha: sha },
      });
      ids.push(build.id);
    }
    // Enqueued back to back: both jobs are taken at once by the two free slots.
    await Promise.all(
      ids.map((id) =>
        queue.enqueue("builds.run", { buildId: id }, { jobId: queue.buildJobId(id) }, suite.producer),
      ),
    );

    // Watched while they run: never two builds of the branch running at once.
    let overlap = false;
    const both = waitFor(
      "both builds to finish",
      async () => {
        const rows = await prisma().build.findMany({
          where: { branchId: branch.id },
          orderBy: { createdAt: "asc" },
        });
        if (rows.filter((r) => r.status === "RUNNING").length > 1) overlap = true;
        return rows.every((r) => r.status === "DONE" || r.status === "CANCELLED") ? rows : undefined;
      },
      600_000,
    );
    const [older, newer] = await both;
    expect(overlap).toBe(false);
    expect([older!.result, newer!.result]).toEqual(["SUCCESS", "SUCCESS"]);
    expect([older!.commitSha, newer!.commitSha]).toEqual([first, second]);
    // In push order, the second starting only once the first had ended.
    expect(newer!.startedAt!.getTime()).toBeGreaterThanOrEqual(older!.finishedAt!.getTime());
    expect(older!.databaseName).not.toBe(newer!.databaseName);

    // Retention keeps one: the newer serves, the older is gone but for its logs.
    const cleaned = await waitFor(
      "the older build to be cleaned",
      async () => {
        const row = await prisma().build.findUniqueOrThrow({ where: { id: older!.id } });
        return row.cleanedAt ? row : undefined;
      },
      60_000,
    );
    expect(cleaned.servingAt).toBeNull();
    expect(await suite.runtime.listManaged({ build: older!.id })).toEqual([]);
    expect(await devQuery("SELECT 1 FROM pg_database WHERE datname = $1", [older!.databaseName])).toEqual([]);
    const serving = await prisma().build.findUniqueOrThrow({ where: { id: newer!.id } });
    expect(serving.cleanedAt).toBeNull();
    expect(serving.servingAt).not.toBeNull();
    expect(await loginStatus(serving)).toBe(200);
  }, 900_000);
});
