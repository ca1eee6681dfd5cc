// Deleting a project hides it at once and queues a worker job that removes what its builds made
// outside Gantry's rows: containers, the databases and roles of its builds and of its production
// branch (kept across builds, so no retention ever drops them), the work trees and filestores,
// the routes and its archives, the last production backup kept in backup storage. Another
// project's database on the same server stays.
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { query } from "../standin/helpers";
import { type BuildSuite, startBuildSuite } from "./suite";
import { devQuery, shaOf, waitFor } from "./support";

let suite: BuildSuite;
let prisma: typeof import("@gantry/db").prisma;
let core: typeof import("@gantry/core");

async function built(projectId: string, name: string, stage: "PRODUCTION" | "DEVELOPMENT", sha: string) {
  const branch = await prisma().branch.create({ data: { projectId, name, stage, lastSeenSha: sha } });
  const build = await suite.ended(await suite.push({ projectId, branchId: branch.id, stage, sha }));
  expect({ result: build.result, error: build.errorSummary }).toEqual({ result: "SUCCESS", error: null });
  return { branch, build };
}

/** Which of `names` exist as databases (or roles) on either build cluster. */
async function present(catalog: "pg_database" | "pg_roles", names: string[]): Promise<string[]> {
  const column = catalog === "pg_database" ? "datname" : "rolname";
  const sql = `SELECT ${column} AS name FROM ${catalog} WHERE ${column} = ANY($1::text[])`;
  const rows = [
    ...(await query<{ name: string }>("postgres", sql, [names])),
    ...(await devQuery(sql, [names])),
  ];
  return rows.map((r) => String(r.name)).sort();
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

beforeAll(async () => {
  suite = await startBuildSuite({ queues: ["builds"] });
  prisma = (await import("@gantry/db")).prisma;
  core = await import("@gantry/core");
}, 180_000);

afterAll(() => suite?.close(), 120_000);

describe("deleting a project", () => {
  it("drops its build and production databases, roles, files and containers, and nothing else", async () => {
    const { env, runtime } = suite;
    const repo = join(env.repos, "acme16.git");
    const sha = await shaOf(repo, "17.0");
    const root = await prisma().user.create({
      data: { email: `root-${env.prefix}@example.com`, name: "Root", isAdmin: true },
    });
    const actor = { userId: root.id, isAdmin: true, memberships: {}, tokenProjectIds: null };
    const doomed = await suite.project("doomed", { gitUrl: repo });
    const other = await suite.project("other", { gitUrl: repo });
    const production = await built(doomed.id, "main", "PRODUCTION", sha);
    const development = await built(doomed.id, "feature", "DEVELOPMENT", sha);
    const untouched = await built(other.id, "feature", "DEVELOPMENT", sha);
    const productionDb = `gantry_p_${production.branch.id}`;
    const names = [productionDb, development.build.databaseName!];
    expect(await present("pg_database", names)).toEqual([...names].sort());

    // A finished production backup in backup storage (BACKUP_DIR here): the one to keep.
    const storage = core.backupStorage();
    const backup = await prisma().backup.create({
      data: { projectId: doomed.id, branchId: production.branch.id, kind: "MANUAL", status: "DONE" },
    });
    const key = core.backupKey(doomed.id, production.branch.id, backup.id);
    await storage.put(key, Readable.from([Buffer.from("last production backup")]));
    await prisma().backup.update({ where: { id: backup.id }, data: { storageKey: key } });

    const asked = await core.deleteProject(
      actor,
      doomed.id,
      { confirmName: "doomed" },
      undefined,
      suite.producer,
    );
    expect(asked.status).toBe("deleting");
    // Hidden at once, before the worker has done anything.
    expect((await core.listProjects(actor)).map((p) => p.id)).not.toContain(doomed.id);
    await expect(core.getProject(actor, doomed.id)).rejects.toMatchObject({ code: "not_found" });
    // Asking again finds no project to delete.
    await expect(
      core.deleteProject(actor, doomed.id, { confirmName: "doomed" }, undefined, suite.producer),
    ).rejects.toMatchObject({ code: "not_found" });

    const job = await waitFor(
      "the project deletion job to finish",
      async () => {
        const found = await suite.producer.queue("builds").getJob(asked.jobId);
        const state = await found?.getState();
        if (state === "failed") throw new Error(`deletion failed: ${found?.failedReason}`);
        return state === "completed" ? found : undefined;
      },
      300_000,
    );
    const report = job!.returnvalue as { status: string; droppedDatabases: string[]; keptBackup: string };
    expect(report.status).toBe("deleted");
    expect(await prisma().project.findUnique({ where: { id: doomed.id } })).toBeNull();
    expect(report.droppedDatabases).toEqual(
      expect.arrayContaining(names.map((n) => expect.stringMatching(new RegExp(`/${n}$`)))),
    );
    // The last production backup is kept in backup storage; the project's own archives are gone.
    expect(report.keptBackup).toMatch(/^kept-backups\/doomed-[^/]+\/[^/]+\.zip$/);
    const kept = await storage.get(report.keptBackup);
    expect(Buffer.concat(await kept.toArray()).toString()).toBe("last production backup");
    expect(await storage.list(`${doomed.id}/`)).toEqual([]);
    expect(await present("pg_database", names)).toEqual([]);
    const roles = [production.build.databaseRole!, development.build.databaseRole!];
    expect(await present("pg_roles", roles)).toEqual([]);
    expect(await exists(join(env.dataDir, "production", production.branch.id))).toBe(false);
    expect(await exists(join(env.dataDir, "builds", development.build.id))).toBe(false);
    expect(await runtime.listManaged({ project: doomed.id })).toEqual([]);

    // The other project's build is untouched.
    expect(await present("pg_database", [untouched.build.databaseName!])).toEqual([
      untouched.build.databaseName,
    ]);
    expect((await runtime.inspect(untouched.build.containerName!)).running).toBe(true);
  }, 900_000);
});
