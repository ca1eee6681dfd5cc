// Idle cost of the control plane: the web app (production build, `next start`) and the compiled
// worker (dist/main.js), started and left idle with 20 sleeping development builds, sampled
// from /proc: resident memory and CPU per process. Both run twice in the same run: with
// production's node settings (scripts/lib/common.sh: GANTRY_NODE_OPTIONS, GANTRY_MALLOC_ARENA_MAX,
// as scripts/start and the systemd units apply them) and with node's defaults, the baseline.
//
//   pnpm exec tsx scripts/bench/idle.ts [--seconds N] [--interval N] [--clean]
//
// Builds what is missing first (turbo: the web app and the worker, cached when unchanged). A
// database of its own (gantry_bench_idle, migrated, 20 sleeping builds), each worker on its own Redis
// prefix so both run the periodic maintenance jobs as a lone worker would. After both are
// ready and a settling pause, samples every --interval seconds (default 5) for --seconds
// (default 300): RSS at the end, its mean and peak, and CPU as a percentage of one core over
// the window. Each process is measured with its descendants. `--clean` drops the database.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, readdir, readFile } from "node:fs/promises";
import { createServer } from "node:net";
import { cpus, loadavg, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { config } from "@gantry/config";
import pg from "pg";

const run = promisify(execFile);
const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const SECONDS = Number(option("--seconds", "300"));
const INTERVAL = Number(option("--interval", "5"));
const SETTLE_SECONDS = 15;
const root = resolve(import.meta.dirname, "../..");
const TICKS_PER_SECOND = 100; // USER_HZ on Linux
const PAGE_KB = 4;

const base = config();
const benchDbName = "gantry_bench_idle";
const benchDbUrl = new URL(base.DATABASE_URL);
benchDbUrl.pathname = `/${benchDbName}`;
const dataDir = join(base.GANTRY_DATA_DIR, "bench", "idle");

async function onPostgres(sql: string) {
  const target = new URL(base.DATABASE_URL);
  target.pathname = "/postgres";
  const client = new pg.Client({ connectionString: target.toString() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === "object" && address ? address.port : 0));
    });
  });
}

interface Started {
  name: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Spawns a process; resolves once `ready` says so from its output, rejects if it exits first. */
async function start(
  name: string,
  command: string[],
  options: { cwd: string; env: Record<string, string>; ready: (output: string) => boolean },
): Promise<Started> {
  const child = spawn(command[0]!, command.slice(1), {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  await new Promise<void>((resolveReady, reject) => {
    const onData = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
      if (options.ready(output)) resolveReady();
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) =>
      reject(new Error(`${name} exited (${code}) before it was ready:\n${output}`)),
    );
  });
  return {
    name,
    child,
    stop: () =>
      new Promise<void>((resolveStop) => {
        if (child.exitCode !== null) return resolveStop();
        child.once("exit", () => resolveStop());
        child.kill("SIGTERM");
      }),
  };
}

/** The pid and its descendants, from /proc. */
async function tree(pid: number): Promise<number[]> {
  const parents = new Map<number, number[]>();
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => "");
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    if (!parents.has(ppid)) parents.set(ppid, []);
    parents.get(ppid)!.push(Number(entry));
  }
  const out = [pid];
  for (let i = 0; i < out.length; i++) out.push(...(parents.get(out[i]!) ?? []));
  return out;
}

/** CPU ticks (user + system) and RSS (kB) of a process and its descendants. */
async function usage(pid: number): Promise<{ ticks: number; rssKb: number }> {
  let ticks = 0;
  let rssKb = 0;
  for (const p of await tree(pid)) {
    const stat = await readFile(`/proc/${p}/stat`, "utf8").catch(() => "");
    if (!stat) continue;
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
    rssKb += Number(fields[21]) * PAGE_KB; // rss in pages
  }
  return { ticks, rssKb };
}

/**
 * Production's node settings, as scripts/start and the systemd units apply them: exported by
 * scripts/lib/common.sh (run the bench in the scripts' environment).
 */
const production = {
  label: `production settings (NODE_OPTIONS="${process.env.GANTRY_NODE_OPTIONS ?? ""}" MALLOC_ARENA_MAX=${process.env.GANTRY_MALLOC_ARENA_MAX ?? ""})`,
  env: {
    NODE_OPTIONS: process.env.GANTRY_NODE_OPTIONS ?? "",
    MALLOC_ARENA_MAX: process.env.GANTRY_MALLOC_ARENA_MAX ?? "",
  },
};

/** A project with `count` development builds asleep (container stopped, host on the wake page). */
async function sleepingBuilds(url: string, count: number): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const id = (n: string) => `bench${n}${randomBytes(8).toString("hex")}`;
    const project = id("p");
    await client.query(
      `INSERT INTO "Project" (id, slug, name, "githubOwner", "githubRepo", "odooSeries", "gitUrl", "updatedAt")
       VALUES ($1, 'idle', 'Idle', 'acme', 'idle', '17.0', 'file:///nonexistent', now())`,
      [project],
    );
    for (let i = 0; i < count; i++) {
      const branch = id("b");
      await client.query(
        `INSERT INTO "Branch" (id, "projectId", name, stage, "updatedAt") VALUES ($1, $2, $3, 'DEVELOPMENT', now())`,
        [branch, project, `feature-${i}`],
      );
      await client.query(
        `INSERT INTO "Build" (id, "projectId", "branchId", stage, "commitSha", status, result, "servingAt", "sleepingSince", "containerName", "databaseName")
         VALUES ($1, $2, $3, 'DEVELOPMENT', $4, 'DONE', 'SUCCESS', now() - interval '2 hours', now() - interval '1 hour', $5, $6)`,
        [id("x"), project, branch, "a".repeat(40), `gantry-idle-${i}`, `gantry_idle_${i}`],
      );
    }
  } finally {
    await client.end();
  }
}

async function main() {
  if (args.includes("--clean")) {
    await onPostgres(`DROP DATABASE IF EXISTS "${benchDbName}" WITH (FORCE)`);
    console.log(`dropped ${benchDbName}`);
    return;
  }
  console.log("building the web app and the worker (cached when unchanged)");
  await run(
    "pnpm",
    [
      "exec",
      "turbo",
      "run",
      "build",
      "--filter=@gantry/web",
      "--filter=@gantry/worker",
      "--output-logs=errors-only",
    ],
    { cwd: root, maxBuffer: 64 * 1024 * 1024 },
  );
  await onPostgres(`DROP DATABASE IF EXISTS "${benchDbName}" WITH (FORCE)`);
  await onPostgres(`CREATE DATABASE "${benchDbName}"`);
  const env: Record<string, string> = {
    DATABASE_URL: benchDbUrl.toString(),
    GANTRY_DATA_DIR: dataDir,
    GANTRY_SECRET: base.GANTRY_SECRET ?? randomBytes(24).toString("hex"),
    NODE_ENV: "production",
    LOG_LEVEL: "info",
  };
  await run(join(root, "scripts/db"), ["migrate"], { env: { ...process.env, ...env } });
  await mkdir(dataDir, { recursive: true });

  await sleepingBuilds(benchDbUrl.toString(), 20);

  const prefix = `bench-idle-${randomBytes(4).toString("hex")}`;
  // Each worker listens for mail and shells on ports of its own, so neither leaves them to the other.
  const workerEnv = async (suffix: string) => ({
    ...env,
    REDIS_PREFIX: `${prefix}-${suffix}`,
    MAIL_CATCHER_SMTP: `127.0.0.1:${await freePort()}`,
    SHELL_LISTEN: `127.0.0.1:${await freePort()}`,
    SSH_LISTEN: `127.0.0.1:${await freePort()}`,
  });
  const workerReady = (output: string) => output.includes('"worker ready"');
  const webPorts = [await freePort(), await freePort()];
  const processes: Started[] = [];
  try {
    // The same programs twice: as scripts/start and the systemd units run them (production's
    // node settings), and with node's defaults, the baseline of the same run.
    for (const [i, settings] of [production, { label: "node defaults", env: {} }].entries()) {
      processes.push(
        await start(`worker (node dist/main.js, ${settings.label})`, ["node", "dist/main.js"], {
          cwd: join(root, "apps/worker"),
          env: { ...(await workerEnv(String(i))), ...settings.env },
          ready: workerReady,
        }),
      );
      processes.push(
        await start(
          `web (next start, ${settings.label})`,
          ["node", "node_modules/next/dist/bin/next", "start", "-H", "127.0.0.1", "-p", String(webPorts[i])],
          {
            cwd: join(root, "apps/web"),
            env: {
              ...env,
              ...settings.env,
              REDIS_PREFIX: `${prefix}-${i}`,
              PUBLIC_URL: `http://127.0.0.1:${webPorts[i]}`,
            },
            ready: (output) => /Ready in|started server/i.test(output),
          },
        ),
      );
    }
    // One request, as a visitor's first: Next loads its routes lazily.
    for (const port of webPorts) await fetch(`http://127.0.0.1:${port}/login`).catch(() => undefined);
    console.log(`all started; settling ${SETTLE_SECONDS} s, then sampling ${SECONDS} s every ${INTERVAL} s`);
    await new Promise((r) => setTimeout(r, SETTLE_SECONDS * 1000));

    const first = await Promise.all(processes.map((p) => usage(p.child.pid!)));
    const rss: number[][] = processes.map(() => []);
    const startedAt = Date.now();
    while (Date.now() - startedAt < SECONDS * 1000) {
      await new Promise((r) => setTimeout(r, INTERVAL * 1000));
      const now = await Promise.all(processes.map((p) => usage(p.child.pid!)));
      for (const [i, u] of now.entries()) rss[i]!.push(u.rssKb);
    }
    const last = await Promise.all(processes.map((p) => usage(p.child.pid!)));
    const elapsed = (Date.now() - startedAt) / 1000;

    const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;
    console.log(
      `\n${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")}, ${elapsed.toFixed(0)} s idle\n`,
    );
    console.log("| process | RSS at end | RSS mean | RSS peak | CPU (% of one core) |");
    console.log("| --- | --- | --- | --- | --- |");
    processes.forEach((p, i) => {
      const samples = rss[i]!;
      const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
      const cpu = ((last[i]!.ticks - first[i]!.ticks) / TICKS_PER_SECOND / elapsed) * 100;
      console.log(
        `| ${p.name} | ${mb(last[i]!.rssKb)} | ${mb(mean)} | ${mb(Math.max(...samples))} | ${cpu.toFixed(2)} % |`,
      );
    });
    const together = last[0]!.rssKb + last[1]!.rssKb;
    const before = last[2]!.rssKb + last[3]!.rssKb;
    console.log(
      `\nweb + worker, ${production.label}: ${mb(together)}; with node's defaults: ${mb(before)} (goal < 400 MB)`,
    );
  } finally {
    await Promise.all(processes.map((p) => p.stop()));
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
