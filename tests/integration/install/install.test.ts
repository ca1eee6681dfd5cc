// scripts/install in its test mode (--root DIR --no-systemd): the env file and units it writes,
// the units proved by systemd-analyze, the processes they name started from the installed copy
// against a fresh database; then an upgrade from a newer checkout (a pending migration, a job
// running when the worker stops and one queued while it is down) with the same root.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readdir, readlink, rm, stat, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { config } from "@gantry/config";
import { diagnosticsResult, enqueue, enqueueDiagnostics, type QueueContext } from "@gantry/queue";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dropPrefix, randomPrefix, testQueueContext, waitFor, waitForState } from "../queue/support";
import {
  install,
  layout,
  readEnvFile,
  repoRoot,
  sql,
  startUnit,
  type UnitProcess,
  unitSettings,
} from "./layout";

const run = promisify(execFile);
const UNITS = ["gantry.target", "gantry-caddy.service", "gantry-web.service", "gantry-worker.service"];

async function freePort(): Promise<number> {
  return new Promise((done, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => done(typeof address === "object" && address ? address.port : 0));
    });
  });
}

function onDatabase(name: string): string {
  const url = new URL(config().DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function workerReady(worker: UnitProcess): Promise<void> {
  await waitFor(
    "the installed worker's ready line",
    async () => {
      if (worker.child.exitCode !== null) throw new Error(`worker exited: ${worker.output()}`);
      return worker.output().includes('"worker ready"') ? true : undefined;
    },
    90_000,
  );
}

async function webAnswers(port: number, web: UnitProcess): Promise<number> {
  return waitFor(
    "the installed web app",
    async () => {
      if (web.child.exitCode !== null) throw new Error(`web exited: ${web.output()}`);
      const response = await fetch(`http://127.0.0.1:${port}/login`);
      return response.status;
    },
    90_000,
  );
}

const dbName = `gantry_install_${randomBytes(4).toString("hex")}`;
let root: string;
let newer: string;
let context: QueueContext;
const running: UnitProcess[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "gantry-install-"));
  newer = await mkdtemp(join(tmpdir(), "gantry-install-newer-"));
  // An empty database: the install itself must migrate it.
  await sql(onDatabase("postgres"), `CREATE DATABASE "${dbName}"`);
  context = testQueueContext(randomPrefix());
});

afterAll(async () => {
  await Promise.all(running.map((p) => p.stop()));
  await dropPrefix(context);
  await context.close();
  await sql(onDatabase("postgres"), `DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  await rm(root, { recursive: true, force: true });
  await rm(newer, { recursive: true, force: true });
});

// An install builds the web app and the worker from the checkout: minutes on a loaded machine.
describe("scripts/install --root DIR --no-systemd", { timeout: 600_000 }, () => {
  let webPort: number;
  let firstSecret: string;

  it("writes a 0600 env file with generated secrets and units systemd-analyze accepts", async () => {
    webPort = await freePort();
    await install(repoRoot, root, {
      DATABASE_URL: onDatabase(dbName),
      BUILD_DATABASE_URL: config().BUILD_DATABASE_URL,
      BUILD_DEV_DATABASE_URL: config().BUILD_DEV_DATABASE_URL,
      REDIS_URL: config().REDIS_URL,
      REDIS_PREFIX: context.prefix,
      WEB_PORT: String(webPort),
      PUBLIC_URL: `http://127.0.0.1:${webPort}`,
      MAIL_CATCHER_SMTP: `127.0.0.1:${await freePort()}`,
      SHELL_LISTEN: `127.0.0.1:${await freePort()}`,
      SSH_LISTEN: `127.0.0.1:${await freePort()}`,
      LOG_LEVEL: "info",
    });
    const { envFile, unitDir, current } = layout(root);
    expect((await stat(envFile)).mode & 0o777).toBe(0o600);
    const env = await readEnvFile(envFile);
    expect(env.GANTRY_SECRET).toMatch(/^[A-Za-z0-9]{40,}$/);
    expect(env.NODE_ENV).toBe("production");
    expect(env.GANTRY_DATA_DIR).toBe(layout(root).dataDir);
    firstSecret = env.GANTRY_SECRET!;
    expect((await readdir(unitDir)).sort()).toEqual([...UNITS].sort());
    // Every migration of the checkout was applied to the empty database.
    const applied = await sql<{ n: string }>(
      onDatabase(dbName),
      "SELECT count(*) AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL",
    );
    expect(Number(applied[0]!.n)).toBe((await readdir(join(repoRoot, "prisma/migrations"))).length - 1);
    // The release is a copy (no .git, no data), with the compiled worker.
    expect((await readdir(current)).includes(".git")).toBe(false);
    await stat(join(current, "apps/worker/dist/main.js"));

    const verify = await run("systemd-analyze", ["verify", ...UNITS.map((u) => join(unitDir, u))], {
      env: { ...process.env, SYSTEMD_LOG_LEVEL: "warning" },
    }).catch((error: { stderr?: string; code?: number }) => error);
    expect("code" in verify ? verify.code : 0, String(verify.stderr)).toBe(0);
    expect(String(verify.stderr)).toBe("");

    const worker = await unitSettings(join(unitDir, "gantry-worker.service"));
    expect(worker.get("Restart")).toEqual(["on-failure"]);
    expect(worker.get("SupplementaryGroups")).toEqual(["docker"]);
    expect(worker.get("KillMode")).toEqual(["mixed"]);
  });

  it("starts the processes the units name, from the installed copy", async () => {
    const worker = await startUnit(root, "gantry-worker.service");
    running.push(worker);
    await workerReady(worker);
    const web = await startUnit(root, "gantry-web.service");
    running.push(web);
    expect(await webAnswers(webPort, web)).toBe(200);
    // The compiled worker answers a job, and the web app reports it through the API.
    const { jobId } = await enqueueDiagnostics({}, context);
    const view = await waitForState(context, "maintenance", jobId, ["completed", "failed"], 60_000);
    expect(view.state).toBe("completed");
    expect(diagnosticsResult.parse(view.result).pid).toBe(worker.child.pid);
  });

  it("upgrades from a newer checkout: migration applied, running job finished, queued job done after", async () => {
    const [oldWorker, oldWeb] = running.splice(0, 2);
    const firstRelease = await readlink(layout(root).current);
    // A job running as the upgrade begins: the worker's graceful stop lets it finish.
    await enqueue("maintenance.probe-delay", { ms: 3000 }, { jobId: "in-flight" }, context);
    await waitForState(context, "maintenance", "in-flight", ["active"], 30_000);
    const [workerCode] = await Promise.all([oldWorker!.stop(), oldWeb!.stop()]);
    expect(workerCode).toBe(0);
    expect((await waitForState(context, "maintenance", "in-flight", ["completed", "failed"])).state).toBe(
      "completed",
    );
    // A job queued while no worker runs waits in Redis for the new one.
    const { jobId: queued } = await enqueueDiagnostics({}, context);

    // The newer checkout: this one plus a migration (hard links: the same files, quickly; the
    // folders are new, so the migration lands in the copy only).
    for (const entry of await readdir(repoRoot)) {
      if ([".git", "var", "tests", ".turbo", ".env"].includes(entry)) continue;
      await run("cp", ["-al", join(repoRoot, entry), join(newer, entry)]);
    }
    const migration = join(newer, "prisma/migrations/29991231000000_install_upgrade_probe");
    await mkdir(migration);
    await writeFile(join(migration, "migration.sql"), 'CREATE TABLE "InstallUpgradeProbe" (id integer);\n');
    await install(newer, root);

    const env = await readEnvFile(layout(root).envFile);
    expect(env.GANTRY_SECRET).toBe(firstSecret);
    expect(env.REDIS_PREFIX).toBe(context.prefix);
    expect((await stat(layout(root).envFile)).mode & 0o777).toBe(0o600);
    expect(await readlink(layout(root).current)).not.toBe(firstRelease);
    const probe = await sql<{ name: string }>(
      onDatabase(dbName),
      `SELECT migration_name AS name FROM _prisma_migrations WHERE migration_name = '29991231000000_install_upgrade_probe'`,
    );
    expect(probe).toHaveLength(1);

    const worker = await startUnit(root, "gantry-worker.service");
    running.push(worker);
    await workerReady(worker);
    const web = await startUnit(root, "gantry-web.service");
    running.push(web);
    expect(await webAnswers(webPort, web)).toBe(200);
    const view = await waitForState(context, "maintenance", queued, ["completed", "failed"], 60_000);
    expect(view.state).toBe("completed");
    expect(diagnosticsResult.parse(view.result).pid).toBe(worker.child.pid);
  });
});
