// Live logs: a build's log written fast while many people follow it, through the production
// build of the web app (`next start`) and the log stream route (server-sent events).
//
//   pnpm exec tsx scripts/bench/live-logs.ts [--clients N] [--lines-per-second N] [--seconds N]
//        [--baseline-clients N] [--client-processes N] [--clean]
//
// Defaults: 1,000 followers, 2,000 lines a second, 60 s (the issue's cut-off check wants
// --seconds 360). Each line carries its sequence number and the time it was written; every
// follower checks that it gets every line once and in order, and the latency of each line
// (written -> received) is collected. The baseline in the same run is the same writer with
// --baseline-clients followers (default 10). Also printed: the web process's memory idle and
// at its peak, whether every stream was still open at the end (no cut-off), and the CPU taken by
// the web process, by the followers (in --client-processes child processes, default 2) and by
// the writer, as % of one core: on a small machine the followers compete with the server.
// `--clients 100,1000` runs one round per count; the goal is checked on the last.
// Goal: p95 latency < 250 ms, no line lost or reordered, < 150 MB over idle, no cut-off.
import { randomBytes } from "node:crypto";
import { appendFile, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { flag, option } from "./lib/args";
import { histogramPercentile, openFollowers } from "./lib/followers";
import {
  benchEnvironment,
  cleanIfAsked,
  freshBenchDatabase,
  machineLine,
  removeBenchData,
} from "./lib/platform";
import { buildWeb, signIn, startWeb, type WebProcess } from "./lib/web";

const env = benchEnvironment("live-logs");

/** A line: fixed-width sequence number and write time first, so followers parse it cheaply. */
const line = (seq: number) =>
  `${String(seq).padStart(9, "0")} ${String(Date.now()).padStart(15, "0")} INFO bench odoo.modules.loading: ${"x".repeat(60)}\n`;

async function round(
  label: string,
  base: string,
  cookie: string,
  buildId: string,
  logPath: string,
  clients: number,
  processes: number,
  linesPerSecond: number,
  seconds: number,
  web: WebProcess,
) {
  await writeFile(logPath, "");
  const url = `${base}/api/v1/builds/${buildId}/logs/install.log/stream`;
  const followers = await openFollowers({ url, cookie, count: clients, processes });
  try {
    await new Promise((r) => setTimeout(r, 2000));
    const idle = await web.rssMb();
    let peak = idle;
    const cpuBefore = await web.cpuSeconds();
    const benchCpuBefore = process.cpuUsage();
    // The writer: every 20 ms the lines due by then, appended in one write as a logger flushes.
    let seq = 0;
    const started = Date.now();
    while (Date.now() - started < seconds * 1000) {
      const due = Math.floor(((Date.now() - started) / 1000) * linesPerSecond);
      let batch = "";
      while (seq < due) batch += line(seq++);
      if (batch) await appendFile(logPath, batch);
      if (seq % 1000 < 40) peak = Math.max(peak, await web.rssMb());
      await new Promise((r) => setTimeout(r, 20));
    }
    const writing = (Date.now() - started) / 1000;
    const webCpu = (await web.cpuSeconds()) - cpuBefore;
    // Time for the last lines to arrive.
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && (await followers.behind(seq)) > 0) {
      await new Promise((r) => setTimeout(r, 200));
    }
    const report = await followers.report(seq);
    const benchCpu = process.cpuUsage(benchCpuBefore);
    return {
      label,
      clients,
      lines: seq,
      p50: histogramPercentile(report.latencies, 50),
      p95: histogramPercentile(report.latencies, 95),
      p99: histogramPercentile(report.latencies, 99),
      lost: report.lost,
      reordered: report.reordered,
      stillOpen: report.open,
      errors: report.errors.length,
      firstError: report.errors[0] ?? "",
      idleMb: idle,
      peakMb: peak,
      // As % of one core over the writing time; the followers' figure runs to their report.
      webCpu: (100 * webCpu) / writing,
      followersCpu: (100 * report.cpuSeconds) / writing,
      writerCpu: (100 * (benchCpu.user + benchCpu.system)) / 1e6 / writing,
    };
  } finally {
    followers.stop();
  }
}

async function main(): Promise<void> {
  if (await cleanIfAsked(env, flag("--clean"))) return;
  // One round per count, in the same web process: `--clients 100,1000` measures both.
  const clients = option("--clients", "1000").split(",").map(Number);
  const baselineClients = Number(option("--baseline-clients", "10"));
  const linesPerSecond = Number(option("--lines-per-second", "2000"));
  const seconds = Number(option("--seconds", "60"));
  const processes = Number(option("--client-processes", "2"));
  console.log(machineLine());
  await buildWeb();
  await freshBenchDatabase(env);
  const { prisma } = await import("@gantry/db");
  const core = await import("@gantry/core");
  const email = `logs-${randomBytes(3).toString("hex")}@example.com`;
  const password = randomBytes(12).toString("hex");
  const user = await core.createUserWithPassword({ email, name: "Logs", password, isAdmin: false });
  const project = await prisma().project.create({
    data: {
      slug: "logs",
      name: "Logs",
      githubOwner: "logs",
      githubRepo: "logs",
      odooSeries: "17.0",
      collaborators: { create: { userId: user.id, role: "ADMIN" } },
    },
  });
  const branch = await prisma().branch.create({
    data: { projectId: project.id, name: "feature", stage: "DEVELOPMENT" },
  });
  const build = await prisma().build.create({
    data: {
      projectId: project.id,
      branchId: branch.id,
      stage: "DEVELOPMENT",
      commitSha: "a".repeat(40),
      status: "RUNNING",
    },
  });
  const logDir = join(env.dir, "data", "builds", build.id, "logs");
  await mkdir(logDir, { recursive: true });
  const logPath = join(logDir, "install.log");

  const web = await startWeb();
  try {
    const cookie = await signIn(web.base, email, password);
    const results = [];
    const rounds: [string, number, number][] = [
      ["baseline", baselineClients, Math.min(seconds, 20)],
      ...clients.map((n): [string, number, number] => [`load ${n}`, n, seconds]),
    ];
    for (const [label, n, s] of rounds) {
      console.log(`${label}: ${n} followers, ${linesPerSecond} lines/s for ${s} s…`);
      const r = await round(label, web.base, cookie, build.id, logPath, n, processes, linesPerSecond, s, web);
      results.push(r);
      console.log(
        `  ${r.lines} lines; latency p50 ${r.p50} ms, p95 ${r.p95} ms, p99 ${r.p99} ms; lost ${r.lost}, reordered ${r.reordered}; ` +
          `open at the end ${r.stillOpen} of ${r.clients}; errors ${r.errors}${r.firstError ? ` (${r.firstError})` : ""}; ` +
          `web memory ${r.idleMb.toFixed(0)} MB idle, ${r.peakMb.toFixed(0)} MB peak; ` +
          `CPU (% of one core) web ${r.webCpu.toFixed(0)}, followers ${r.followersCpu.toFixed(0)}, writer ${r.writerCpu.toFixed(0)}; ` +
          `${machineLine().replace(/^machine: /, "")}`,
      );
    }
    const load = results.at(-1)!;
    const met =
      load.p95 < 250 &&
      load.lost === 0 &&
      load.reordered === 0 &&
      load.peakMb - load.idleMb < 150 &&
      load.stillOpen === load.clients;
    console.log(
      `\ngoal (p95 < 250 ms, nothing lost or reordered, < 150 MB over idle, no cut-off): ${met ? "met" : "not met"}`,
    );
  } finally {
    web.stop();
    await prisma().$disconnect();
    const { closeDefaultQueueContext } = await import("../../packages/queue/src/index");
    await closeDefaultQueueContext();
    await removeBenchData(env).catch((error) => console.error(`cleaning up: ${String(error)}`));
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
