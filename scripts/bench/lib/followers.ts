// The live-logs benchmark's followers, in processes of their own: a thousand SSE readers
// parsing 2,000 lines/s each take a core or more, and in the benchmark's own process they
// delayed the lines they measured (the latency grew with the readers' backlog, not the
// server's). Each child process runs its share of followers and answers the parent over IPC;
// its CPU time is reported beside the web process's, so a saturated client side shows.

import { type ChildProcess, fork } from "node:child_process";
import { setMaxListeners } from "node:events";
import { get } from "node:http";

interface Follower {
  received: number;
  outOfOrder: number;
  lastSeq: number;
  open: boolean;
  error: string | null;
}

const DATA = Buffer.from("data: ");

/**
 * One follower: reads the SSE stream as bytes (node:http, no text decoding: the client side has
 * to stay cheaper than the server it measures), checks sequence numbers, counts every line's
 * latency. A line is `data: ` + 9-digit sequence number + space + 15-digit write time.
 */
function follow(
  url: string,
  cookie: string,
  latencies: Map<number, number>,
  signal: AbortSignal,
  onConnected: () => void,
): Follower {
  const state: Follower = { received: 0, outOfOrder: 0, lastSeq: -1, open: true, error: null };
  let told = false;
  const connected = () => {
    if (!told) onConnected();
    told = true;
  };
  const digits = (bytes: Buffer, at: number, length: number) => {
    let n = 0;
    for (let i = at; i < at + length; i++) {
      const d = bytes[i]! - 48;
      if (d < 0 || d > 9) return -1;
      n = n * 10 + d;
    }
    return n;
  };
  const request = get(url, { headers: { cookie, accept: "text/event-stream" }, signal }, (response) => {
    if (response.statusCode !== 200) {
      state.error = `answered ${response.statusCode}`;
      state.open = false;
      connected();
      response.resume();
      return;
    }
    connected();
    let rest: Buffer = Buffer.alloc(0);
    response.on("data", (chunk: Buffer) => {
      const bytes = rest.length ? Buffer.concat([rest, chunk]) : chunk;
      const end = bytes.lastIndexOf(0x0a);
      const now = Date.now();
      let at = 0;
      for (;;) {
        const found = bytes.indexOf(DATA, at);
        if (found < 0 || found > end) break;
        const seq = digits(bytes, found + 6, 9);
        if (seq >= 0 && bytes[found + 15] === 32) {
          if (seq !== state.lastSeq + 1) state.outOfOrder += 1;
          state.lastSeq = seq;
          state.received += 1;
          const ms = now - digits(bytes, found + 16, 15);
          latencies.set(ms, (latencies.get(ms) ?? 0) + 1);
        }
        at = found + 6;
      }
      rest = Buffer.from(bytes.subarray(end + 1));
    });
    response.on("end", () => {
      state.open = false;
    });
    response.on("error", () => {
      state.open = false;
    });
  });
  request.on("error", (error) => {
    state.open = false;
    connected();
    if (!signal.aborted) state.error = String(error);
  });
  return state;
}

type Request =
  | { kind: "open"; url: string; cookie: string; count: number }
  | { kind: "behind"; lines: number }
  | { kind: "report"; lines: number };

export interface Report {
  /** Every line's latency (written -> received) in ms, as [ms, lines] pairs. */
  latencies: [number, number][];
  lost: number;
  reordered: number;
  open: number;
  errors: string[];
  cpuSeconds: number;
}

/** The child's side: followers opened on demand, answers to the parent's questions. */
function serveParent(): void {
  const controller = new AbortController();
  // Every follower of this process listens on the one signal: hundreds of listeners, no leak.
  setMaxListeners(0, controller.signal);
  const followers: Follower[] = [];
  const latencies = new Map<number, number>();
  let cpuAtOpen = process.cpuUsage();
  process.on("message", async (request: Request) => {
    if (request.kind === "open") {
      let pending = request.count;
      await new Promise<void>((resolve) => {
        const connected = () => {
          pending -= 1;
          if (pending === 0) resolve();
        };
        void (async () => {
          for (let i = 0; i < request.count; i++) {
            followers.push(follow(request.url, request.cookie, latencies, controller.signal, connected));
            // Opened a few at a time, as people arrive.
            if (i % 50 === 49) await new Promise((r) => setTimeout(r, 50));
          }
        })();
      });
      cpuAtOpen = process.cpuUsage();
      process.send?.({ kind: "opened" });
    } else if (request.kind === "behind") {
      process.send?.({
        kind: "behind",
        count: followers.filter((f) => f.open && f.received < request.lines).length,
      });
    } else {
      const cpu = process.cpuUsage(cpuAtOpen);
      const report: Report = {
        latencies: [...latencies],
        lost: followers.reduce((n, f) => n + Math.max(0, request.lines - f.received), 0),
        reordered: followers.reduce((n, f) => n + f.outOfOrder, 0),
        open: followers.filter((f) => f.open).length,
        errors: followers.flatMap((f) => (f.error ? [f.error] : [])),
        cpuSeconds: (cpu.user + cpu.system) / 1e6,
      };
      controller.abort();
      process.send?.({ kind: "report", report });
    }
  });
}

/** Sends `request` to `child` and waits for its answer of kind `answer`. */
function ask<T>(child: ChildProcess, request: Request, answer: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: { kind: string }) => {
      if (message.kind !== answer) return;
      child.off("message", onMessage);
      child.off("exit", onExit);
      resolve(message as T);
    };
    const onExit = (code: number | null) => reject(new Error(`a follower process exited (${code})`));
    child.on("message", onMessage);
    child.once("exit", onExit);
    child.send(request);
  });
}

export interface FollowerProcesses {
  /** Followers still open that have fewer than `lines` lines. */
  behind(lines: number): Promise<number>;
  /** Every process's figures; the followers are closed. */
  report(lines: number): Promise<Report>;
  stop(): void;
}

/** `count` followers of `url` over `processes` child processes, all connected on return. */
export async function openFollowers(opts: {
  url: string;
  cookie: string;
  count: number;
  processes: number;
}): Promise<FollowerProcesses> {
  const processes = Math.max(1, Math.min(opts.processes, opts.count));
  const children = Array.from({ length: processes }, () =>
    fork(import.meta.filename, [], { env: { ...process.env, BENCH_FOLLOWERS_CHILD: "1" }, stdio: "inherit" }),
  );
  await Promise.all(
    children.map((child, i) => {
      const count = Math.floor(opts.count / processes) + (i < opts.count % processes ? 1 : 0);
      return ask(child, { kind: "open", url: opts.url, cookie: opts.cookie, count }, "opened");
    }),
  );
  return {
    async behind(lines) {
      const answers = await Promise.all(
        children.map((c) => ask<{ count: number }>(c, { kind: "behind", lines }, "behind")),
      );
      return answers.reduce((n, a) => n + a.count, 0);
    },
    async report(lines) {
      const reports = await Promise.all(
        children.map((c) =>
          ask<{ report: Report }>(c, { kind: "report", lines }, "report").then((a) => a.report),
        ),
      );
      return {
        latencies: reports.flatMap((r) => r.latencies),
        lost: reports.reduce((n, r) => n + r.lost, 0),
        reordered: reports.reduce((n, r) => n + r.reordered, 0),
        open: reports.reduce((n, r) => n + r.open, 0),
        errors: reports.flatMap((r) => r.errors),
        cpuSeconds: reports.reduce((n, r) => n + r.cpuSeconds, 0),
      };
    },
    stop() {
      for (const child of children) child.kill();
    },
  };
}

if (process.env.BENCH_FOLLOWERS_CHILD === "1" && process.send) serveParent();

/** The `p`th percentile of a histogram of [value, count] pairs. */
export function histogramPercentile(pairs: [number, number][], p: number): number {
  const sorted = [...pairs].sort((a, b) => a[0] - b[0]);
  const total = sorted.reduce((n, [, count]) => n + count, 0);
  let seen = 0;
  for (const [value, count] of sorted) {
    seen += count;
    if (seen >= (p / 100) * total) return value;
  }
  return Number.NaN;
}
