// Previews on a copy of production (mode STAGING_COPY) through a real worker: without a
// verified backup of production the preview fails saying so; once one is taken and verified,
// the next commit's preview starts from that backup (what production held when it was taken,
// not what it holds now), neutralized, as a copy with its own database UUID, on the
// development cluster; production's database is left as it was. A fork's pull request still
// gets a development build from the template.
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { PullRequestEvent } from "@gantry/github";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_CLUSTER, PROD_CLUSTER } from "../../support/clusters";
import { type BuildSuite, startBuildSuite } from "./suite";
import { shaOf } from "./support";

const run = promisify(execFile);
let suite: BuildSuite;
let prisma: typeof import("@gantry/db").prisma;
let core: typeof import("@gantry/core");
let queue: typeof import("@gantry/queue");
let projectId: string;
let repository: string;
let production: { branchId: string; database: string };

async function query(
  cluster: typeof PROD_CLUSTER,
  database: string,
  sql: string,
  params: unknown[] = [],
): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ ...cluster, database });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

async function parameter(cluster: typeof PROD_CLUSTER, database: string, key: string) {
  const rows = await query(cluster, database, "SELECT value FROM ir_config_parameter WHERE key = $1", [key]);
  return (rows[0]?.value as string | undefined) ?? null;
}

async function setParameter(database: string, key: string, value: string) {
  await query(PROD_CLUSTER, database, "DELETE FROM ir_config_parameter WHERE key = $1", [key]);
  await query(
    PROD_CLUSTER,
    database,
    "INSERT INTO ir_config_parameter (key, value, create_date, write_date) VALUES ($1, $2, now(), now())",
    [key, value],
  );
}

function pullRequest(
  action: PullRequestEvent["action"],
  number: number,
  ref: string,
  sha: string,
  fork?: string,
) {
  return {
    kind: "pull_request",
    repository,
    action,
    number,
    title: `Change ${number}`,
    url: `https://github.com/${repository}/pull/${number}`,
    head: { ref, sha, repository: fork ?? repository },
    base: { ref: "main", sha: "0".repeat(40) },
    merged: false,
  } satisfies PullRequestEvent;
}

/** The preview's build, ended, with its phases by name. */
async function previewBuild(event: PullRequestEvent) {
  const outcome = await core.openPreview(projectId, event);
  expect(outcome.outcome).toBe("preview_queued");
  const build = await suite.ended(outcome.builds[0]!.id);
  const phase = (name: string) => build.phases.find((p) => p.name === name);
  return { build, phase };
}

beforeAll(async () => {
  suite = await startBuildSuite({ queues: ["builds", "maintenance"] });
  prisma = (await import("@gantry/db")).prisma;
  core = await import("@gantry/core");
  queue = await import("@gantry/queue");
  const project = await suite.project("preview-copy", {
    name: "Preview copy",
    previewMode: "STAGING_COPY",
    previewForks: true,
  });
  projectId = project.id;
  const row = await prisma().project.findUniqueOrThrow({ where: { id: projectId } });
  repository = `${row.githubOwner}/${row.githubRepo}`;
  const branch = await prisma().branch.create({ data: { projectId, name: "main", stage: "PRODUCTION" } });
  const buildId = await suite.push({
    projectId,
    branchId: branch.id,
    stage: "PRODUCTION",
    sha: await shaOf(join(suite.env.repos, "acme17.git"), "main"),
  });
  const built = await suite.ended(buildId);
  expect(built).toMatchObject({ status: "DONE", result: "SUCCESS" });
  production = { branchId: branch.id, database: built.databaseName! };
}, 600_000);

afterAll(async () => {
  await suite?.close();
  await queue?.closeDefaultQueueContext();
}, 180_000);

describe("a preview on a copy of production", () => {
  it("needs a verified backup, then starts from it neutralized; production stays as it was", async () => {
    const bare = join(suite.env.repos, "acme17.git");
    const first = await previewBuild(pullRequest("opened", 3, "nobump", await shaOf(bare, "nobump")));
    expect(first.build).toMatchObject({ status: "DONE", result: "FAILED" });
    expect(first.phase("database")).toMatchObject({ status: "FAILED" });
    expect(first.phase("database")?.message).toMatch(/latest verified backup/);

    await setParameter(production.database, "test.preview_marker", "in the backup");
    const { takeBackup } = await import("../../../apps/worker/src/backups/take");
    const { verifyStoredBackup } = await import("../../../apps/worker/src/backups/verify");
    const backup = await takeBackup({ db: prisma }, { branchId: production.branchId, kind: "MANUAL" });
    expect((await verifyStoredBackup(prisma(), backup.id)).status).toBe("VERIFIED");
    // Production moves on after the backup: the preview must not see it.
    await setParameter(production.database, "test.preview_marker", "after the backup");
    const productionUuid = await parameter(PROD_CLUSTER, production.database, "database.uuid");
    expect(productionUuid).toBeTruthy();

    const second = await previewBuild(pullRequest("synchronize", 3, "nobump", await shaOf(bare, "bump")));
    expect(second.build).toMatchObject({ status: "DONE", result: "SUCCESS" });
    expect(second.phase("database")?.output).toMatchObject({ kind: "backup", backup: backup.id });
    expect(second.phase("tests")).toMatchObject({ status: "SKIPPED" });
    const server = await prisma().dbServer.findUniqueOrThrow({ where: { id: second.build.dbServerId! } });
    expect(server.port).toBe(DEV_CLUSTER.port);
    const copy = second.build.databaseName!;
    expect(await parameter(DEV_CLUSTER, copy, "test.preview_marker")).toBe("in the backup");
    expect(await parameter(DEV_CLUSTER, copy, "database.is_neutralized")).toBe("True");
    expect(await parameter(DEV_CLUSTER, copy, "database.uuid")).not.toBe(productionUuid);
    const owner = await query(
      DEV_CLUSTER,
      "postgres",
      "SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1",
      [copy],
    );
    expect(owner[0]?.owner).toBe(second.build.databaseRole);

    // Production: neither neutralized nor changed by the preview.
    expect(await parameter(PROD_CLUSTER, production.database, "test.preview_marker")).toBe(
      "after the backup",
    );
    expect(await parameter(PROD_CLUSTER, production.database, "database.is_neutralized")).toBeNull();
    expect(await parameter(PROD_CLUSTER, production.database, "database.uuid")).toBe(productionUuid);
  }, 900_000);

  it("gives a fork's pull request a development build, never production's data", async () => {
    const bare = join(suite.env.repos, "acme17.git");
    const work = await mkdtemp(join(tmpdir(), "gantry-fork-"));
    try {
      await run("git", ["clone", "-q", "--branch", "main", bare, work]);
      await writeFile(join(work, "FORK.md"), "a stranger's change\n");
      const git = (...args: string[]) =>
        run("git", ["-C", work, "-c", "user.name=Stranger", "-c", "user.email=s@example.com", ...args]);
      await git("add", "FORK.md");
      await git("commit", "-q", "-m", "A change from a fork");
      await git("push", "-q", "origin", "HEAD:refs/pull/4/head");
    } finally {
      await rm(work, { recursive: true, force: true });
    }
    const sha = (await run("git", ["--git-dir", bare, "rev-parse", "refs/pull/4/head"])).stdout.trim();
    const fork = await previewBuild(pullRequest("opened", 4, "main", sha, "stranger/fork"));
    expect(fork.build).toMatchObject({ status: "DONE", result: "SUCCESS" });
    expect(fork.phase("database")?.output).toMatchObject({ kind: "template" });
    expect(await parameter(DEV_CLUSTER, fork.build.databaseName!, "test.preview_marker")).toBeNull();
  }, 900_000);
});
