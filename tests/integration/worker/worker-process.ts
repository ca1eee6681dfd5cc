import { type ChildProcess, spawn } from "node:child_process";

/** A worker started from its source: `node --import tsx apps/worker/src/main.ts` (the compiled one is tested by tests/integration/install). */
export interface WorkerProcess {
  child: ChildProcess;
  /** Parsed JSON log lines so far. */
  logs: Record<string, unknown>[];
  stderr(): string;
  exited: Promise<number | null>;
  /** SIGKILL for the whole process group: the worker and anything it started. */
  killAll(): void;
}

const root = process.cwd();

export function spawnWorker(env: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "apps/worker/src/main.ts"], {
    cwd: root,
    // The tests read the info-level lines ("worker ready", "job completed").
    env: { ...process.env, LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, so that a hard kill reaches whatever the worker started too.
    detached: true,
  });
  const logs: Record<string, unknown>[] = [];
  let pending = "";
  let errors = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    const parts = (pending + chunk.toString()).split("\n");
    pending = parts.pop() ?? "";
    for (const line of parts) {
      try {
        logs.push(JSON.parse(line));
      } catch {
        logs.push({ msg: line, unparsed: true });
      }
    }
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    errors += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const killAll = () => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  };
  return { child, logs, stderr: () => errors, exited, killAll };
}

/** Spawns a worker on a build test environment's database, data dir and Redis prefix; waits until it is ready. */
export async function startWorkerProcess(
  env: { db: { url: string }; dataDir: string; prefix: string },
  extra: Record<string, string>,
): Promise<WorkerProcess> {
  const { waitFor } = await import("../builds/support");
  const { config } = await import("@gantry/config");
  const started = spawnWorker({
    DATABASE_URL: env.db.url,
    GANTRY_DATA_DIR: env.dataDir,
    GANTRY_SECRET: process.env.GANTRY_SECRET ?? "",
    REDIS_URL: config().REDIS_URL,
    REDIS_PREFIX: env.prefix,
    WORKER_CONCURRENCY: "2",
    ...extra,
  });
  await waitFor(
    "the worker ready line",
    async () => {
      if (started.child.exitCode !== null) throw new Error(`worker exited: ${started.stderr()}`);
      return started.logs.find((line) => line.msg === "worker ready");
    },
    90_000,
  );
  return started;
}
