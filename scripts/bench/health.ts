// GET /api/health under load, with and without its cache, in the same run.
//
//   pnpm exec tsx scripts/bench/health.ts [--seconds N] [--connections N] [--cache-seconds N]
//
// Two processes serve the real route handler (health-server.ts) against the configured
// services (Gantry's database, Redis, the workers' heartbeats): one with HEALTH_CACHE_SECONDS=0
// (every call checks every component: the behaviour before the cache) and one with the cache
// (default 5 s). autocannon drives each for --seconds (default 15) with --connections
// anonymous clients (default 10), one after the other; printed: requests per second, latency
// p50, p97.5 and p99, the answers' statuses, and the ratio. Next.js's own per-request cost is
// not in these figures (the handler is called directly); the checks' cost is.
import { type ChildProcess, spawn } from "node:child_process";
import { cpus, loadavg, totalmem } from "node:os";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import autocannon from "autocannon";

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? (args[i + 1] as string) : fallback;
};
const SECONDS = Number(option("--seconds", "15"));
const CONNECTIONS = Number(option("--connections", "10"));
const CACHE_SECONDS = option("--cache-seconds", "5");
const root = resolve(import.meta.dirname, "../..");

async function startServer(cacheSeconds: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/bench/health-server.ts"], {
    cwd: root,
    env: {
      ...process.env,
      HEALTH_CACHE_SECONDS: cacheSeconds,
      LOG_LEVEL: "warn",
      // The web app's import alias (@/…) comes from its own tsconfig.
      TSX_TSCONFIG_PATH: resolve(root, "apps/web/tsconfig.json"),
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const first = await new Promise<string>((done, fail) => {
    child.once("exit", (code) => fail(new Error(`health server exited (${code})`)));
    createInterface({ input: child.stdout! }).once("line", done);
  });
  return { child, port: Number(first) };
}

interface Figures {
  label: string;
  rps: number;
  p50: number;
  p975: number;
  p99: number;
  statuses: string;
  errors: number;
}

async function measure(label: string, cacheSeconds: string): Promise<Figures> {
  const { child, port } = await startServer(cacheSeconds);
  try {
    const url = `http://127.0.0.1:${port}/api/health`;
    // A short warm-up: module loading and connection pools are not what is measured.
    await autocannon({ url, connections: 2, duration: 2 });
    const result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS });
    const statuses = Object.entries({
      "2xx": result["2xx"],
      "5xx": result["5xx"],
      "4xx": result["4xx"],
    })
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${k} ${n}`)
      .join(", ");
    return {
      label,
      rps: result.requests.average,
      p50: result.latency.p50,
      p975: result.latency.p97_5,
      p99: result.latency.p99,
      statuses,
      errors: result.errors + result.timeouts,
    };
  } finally {
    child.kill("SIGTERM");
  }
}

const before = await measure("no cache (HEALTH_CACHE_SECONDS=0)", "0");
const after = await measure(`cache (HEALTH_CACHE_SECONDS=${CACHE_SECONDS})`, CACHE_SECONDS);
const load = loadavg()
  .map((n) => n.toFixed(2))
  .join(" ");
console.log(
  `\nGET /api/health, ${CONNECTIONS} connections, ${SECONDS} s each; ${cpus().length} cores, ` +
    `${Math.round(totalmem() / 2 ** 30)} GiB, load ${load}\n`,
);
console.log("| setting | req/s | p50 ms | p97.5 ms | p99 ms | answers | errors |");
console.log("| --- | --- | --- | --- | --- | --- | --- |");
for (const f of [before, after]) {
  console.log(
    `| ${f.label} | ${f.rps.toFixed(0)} | ${f.p50} | ${f.p975} | ${f.p99} | ${f.statuses} | ${f.errors} |`,
  );
}
console.log(`\nthroughput x${(after.rps / before.rps).toFixed(1)}, p50 ${before.p50} ms -> ${after.p50} ms`);
