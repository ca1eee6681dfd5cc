// Live logs: a build's log written fast while many people follow it, through the production
// build of the web app (`next start`) and the log stream route (server-sent events).
//
//   pnpm exec tsx scripts/bench/live-logs.ts [--clients N] [--lines-per-second N] [--seconds N]
//        [--baseline-clients N] [--clean]
//
// Defaults: 1,000 followers, 2,000 lines a second, 60 s (the issue's cut-off check wants
// --seconds 360). Each line carries its sequence number and the time it was written; every
// follower checks that it gets every line once and in order, and the latency of each line
// (written -> received) is collected. The baseline in the same run is the same writer with
// --baseline-clients followers (default 10). Also printed: the web process's memory idle and
// at its peak, and whether every stream was still open at the end (no cut-off).
// Goal: p95 latency < 250 ms, no line lost or reordered, < 150 MB over idle, no cut-off.
import { randomBytes } from "node:crypto";
import { appendFile, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { flag, option } from "./lib/args";
import {
  benchEnvironment,
  cleanIfAsked,
  freshBenchDatabase,
  machineLine,
  percentile,
  removeBenchData,
} from "./lib/platform";
import { buildWeb, signIn, startWeb } from "./lib/web";

const env = benchEnvironment("live-logs");

/** A line: fixed-width sequence number and write time first, so followers parse it cheaply. */
const line = (seq: number) =>
  `${String(seq).padStart(9, "0")} ${String(Date.now()).padStart(15, "0")} INFO bench odoo.modules.loading: ${"x".repeat(60)}\n`;

interface Follower {
  received: number;
  outOfOrder: number;
  lastSeq: number;
  open: boolean;
  error: string | null;
}

/** One follower: reads the SSE stream, checks sequence numbers, samples latencies. */
function follow(
  url: string,
  cookie: string,
  latencies: number[],
  sampleEvery: number,
  signal: AbortSignal,
): Follower {
  const state: Follower = { received: 0, outOfOrder: 0, lastSeq: -1, open: true, error: null };
  void (async () => {
    try {
      const response = await fetch(url, { headers: { cookie, accept: "text/event-stream" }, signal });
      if (response.status !== 200 || !response.body) throw new Error(`answered ${response.status}`);
      const decoder = new TextDecoder();
      let rest = "";
      const reader = response.body.getReader();
      for (;;) {
        const { value: chunk, done } = await reader.read();
        if (done) break;
        const text = rest + decoder.decode(chunk, { stream: true });
        const end = text.lastIndexOf("\n");
        rest = text.slice(end + 1);
        const now = Date.now();
        let at = 0;
        // Only `data: ` lines carry log lines; the rest is framing.
        for (;;) {
          const found = text.indexOf("data: ", at);
          if (found < 0 || found > end) break;
          const seq = Number(text.slice(found + 6, found + 15));
          if (!Number.isNaN(seq) && text.charCodeAt(found + 15) === 32) {
            if (seq !== state.lastSeq + 1) state.outOfOrder += 1;
            state.lastSeq = seq;
            state.received += 1;
            if (seq % sampleEvery === 0) latencies.push(now - Number(text.slice(found + 16, found + 31)));
          }
          at = found + 6;
        }
      }
      state.open = false;
    } catch (error) {
      state.open = false;
      if (!signal.aborted) state.error = String(error);
    }
  })();
  return state;
}

async function round(
  label: string,
  base: string,
  cookie: string,
  buildId: string,
  logPath: string,
  clients: number,
  linesPerSecond: number,
  seconds: number,
  rss: () => Promise<number>,
) {
  await writeFile(logPath, "");
  const controller = new AbortController();
  const latencies: number[] = [];
  const url = `${base}/api/v1/builds/${buildId}/logs/install.log/stream`;
  const followers: Follower[] = [];
  for (let i = 0; i < clients; i++) {
    followers.push(follow(url, cookie, latencies, 10, controller.signal));
    // Opened a few at a time, as people arrive.
    if (i % 50 === 49) await new Promise((r) => setTimeout(r, 50));
  }
  await new Promise((r) => setTimeout(r, 2000));
  const idle = await rss();
  let peak = idle;
  // The writer: every 20 ms the lines due by then, appended in one write as a logger flushes.
  let seq = 0;
  const started = Date.now();
  while (Date.now() - started < seconds * 1000) {
    const due = Math.floor(((Date.now() - started) / 1000) * linesPerSecond);
    let batch = "";
    while (seq < due) batch += line(seq++);
    if (batch) await appendFile(logPath, batch);
    if (seq % 1000 < 40) peak = Math.max(peak, await rss());
    await new Promise((r) => setTimeout(r, 20));
  }
  // Time for the last lines to arrive.
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline && followers.some((f) => f.open && f.received < seq)) {
    await new Promise((r) => setTimeout(r, 200));
  }
  const stillOpen = followers.filter((f) => f.open).length;
  controller.abort();
  const lost = followers.reduce((n, f) => n + Math.max(0, seq - f.received), 0);
  const reordered = followers.reduce((n, f) => n + f.outOfOrder, 0);
  const errors = followers.filter((f) => f.error);
  return {
    label,
    clients,
    lines: seq,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    lost,
    reordered,
    stillOpen,
    errors: errors.length,
    firstError: errors[0]?.error ?? "",
    idleMb: idle,
    peakMb: peak,
  };
}

async function main(): Promise<void> {
  if (await cleanIfAsked(env, flag("--clean"))) return;
  const clients = Number(option("--clients", "1000"));
  const baselineClients = Number(option("--baseline-clients", "10"));
  const linesPerSecond = Number(option("--lines-per-second", "2000"));
  const seconds = Number(option("--seconds", "60"));
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
    for (const [label, n, s] of [
      ["baseline", baselineClients, Math.min(seconds, 20)],
      ["load", clients, seconds],
    ] as const) {
      console.log(`${label}: ${n} followers, ${linesPerSecond} lines/s for ${s} s…`);
      const r = await round(label, web.base, cookie, build.id, logPath, n, linesPerSecond, s, () =>
        web.rssMb(),
      );
      results.push(r);
      console.log(
        `  ${r.lines} lines; latency p50 ${r.p50} ms, p95 ${r.p95} ms, p99 ${r.p99} ms; lost ${r.lost}, reordered ${r.reordered}; ` +
          `open at the end ${r.stillOpen} of ${r.clients}; errors ${r.errors}${r.firstError ? ` (${r.firstError})` : ""}; ` +
          `web memory ${r.idleMb.toFixed(0)} MB idle, ${r.peakMb.toFixed(0)} MB peak`,
      );
    }
    const load = results[1]!;
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
