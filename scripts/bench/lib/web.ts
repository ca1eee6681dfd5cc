// The web app's production build (`next start`) for a benchmark: built if needed (turbo caches
// it), started on a free port against the benchmark's environment, and a person signed in the
// way the login form does it.
import { type ChildProcess, spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { root, run, until } from "./platform";

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolvePort(address.port) : reject()));
    });
  });
}

export async function buildWeb(): Promise<void> {
  await run("pnpm", ["exec", "turbo", "run", "build", "--filter=@gantry/web", "--output-logs=errors-only"], {
    cwd: root,
    maxBuffer: 64 * 1024 * 1024,
  });
}

export interface WebProcess {
  base: string;
  child: ChildProcess;
  /** Resident memory of the server process now, in MB (Linux /proc). */
  rssMb(): Promise<number>;
  /** CPU time (user + system) the server has used so far, in seconds. */
  cpuSeconds(): Promise<number>;
  stop(): void;
}

/** `next start` on a free port; PUBLIC_URL becomes its address (sign-in checks the origin). */
export async function startWeb(): Promise<WebProcess> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  process.env.PUBLIC_URL = base;
  // The server itself, not a launcher in front of it: its memory is what is measured.
  const child = spawn(
    process.execPath,
    [
      // BENCH_WEB_NODE_ARGS reaches the server alone (e.g. `--cpu-prof --cpu-prof-dir=DIR`).
      ...(process.env.BENCH_WEB_NODE_ARGS?.split(" ").filter(Boolean) ?? []),
      join(root, "apps/web/node_modules/next/dist/bin/next"),
      "start",
      "-H",
      "127.0.0.1",
      "-p",
      String(port),
    ],
    {
      cwd: join(root, "apps/web"),
      env: { ...process.env, NODE_ENV: "production", LOG_LEVEL: "warn" },
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  await until(
    "the web app",
    async () => ((await fetch(`${base}/api/health`)).status ? true : undefined),
    120_000,
    250,
  );
  return {
    base,
    child,
    async rssMb() {
      // next start serves from a child process of its own when it forks: count the whole tree.
      const pids = [child.pid!, ...(await childrenOf(child.pid!))];
      let kb = 0;
      for (const pid of pids) {
        const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
        kb += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      }
      return kb / 1024;
    },
    async cpuSeconds() {
      // utime + stime of the whole tree, in clock ticks (100 a second on Linux).
      const pids = [child.pid!, ...(await childrenOf(child.pid!))];
      let ticks = 0;
      for (const pid of pids) {
        const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        ticks += Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
      }
      return ticks / 100;
    },
    stop: () => child.kill("SIGTERM"),
  };
}

async function childrenOf(pid: number): Promise<number[]> {
  const direct = (await readFile(`/proc/${pid}/task/${pid}/children`, "utf8").catch(() => ""))
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map(Number);
  const nested = await Promise.all(direct.map(childrenOf));
  return [...direct, ...nested.flat()];
}

/** The session cookie of `email` signed in through better-auth's own route. */
export async function signIn(base: string, email: string, password: string): Promise<string> {
  const answer = await fetch(`${base}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: base },
    body: JSON.stringify({ email, password }),
  });
  if (answer.status !== 200) throw new Error(`sign-in answered ${answer.status}`);
  return answer.headers.get("set-cookie")?.split(";")[0] ?? "";
}
