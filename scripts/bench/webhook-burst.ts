// Webhook burst: many signed pushes in a short time, some delivered twice, some replaced by a
// newer push to the same branch moments later; then what Gantry made of them.
//
//   pnpm exec tsx scripts/bench/webhook-burst.ts [--pushes N] [--branches N] [--seconds N]
//        [--duplicates F] [--superseded F] [--build] [--clean]
//
// Defaults: 500 deliveries over 50 branches in 60 s, 10 % of them duplicates (the same delivery
// id and bytes again, up to 2 s later) and 10 % of the distinct pushes followed 20 ms later by
// the branch's next push. The deliveries go as GitHub sends them: signed by the GitHub stand-in,
// over HTTP to the webhook route handler, each on its own (not one after the other), against a
// Gantry database of the benchmark's own.
//
// Without --build no worker runs: every push leaves a queued build, and only intake is measured
// (every older queued build of a branch must have given way to its newest push). With --build a
// worker process builds (the stand-in Odoo image) while the burst arrives, and every branch must
// end with its newest commit built and serving; builds of replaced pushes that had not started
// must be cancelled.
//
// Checked: 0 lost (a distinct push without its build), 0 duplicated (a commit with two builds),
// every branch on its newest commit. Measured: the webhook's answer time during the burst
// against single deliveries sent one at a time on the idle platform first (the baseline).
import { randomUUID } from "node:crypto";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { flag, option } from "./lib/args";
import {
  benchEnvironment,
  cleanIfAsked,
  freshBenchDatabase,
  git,
  machineLine,
  percentile,
  removeBenchData,
  run,
  seconds,
  startPlatform,
  until,
} from "./lib/platform";

const env = benchEnvironment("webhook-burst");
const SERIES = "17.0";
const bare = join(env.dir, "repos", "burst.git");

interface Push {
  branch: string;
  before: string;
  after: string;
  at: number;
  guid: string;
  /** The branch's next push follows 20 ms later. */
  superseded: boolean;
}

/** A bare repository with a small module on base, and `perBranch` commits on each branch. */
async function makeRepository(branches: number, perBranch: number): Promise<Map<string, string[]>> {
  const work = join(env.dir, "repos", "work");
  await rm(join(env.dir, "repos"), { recursive: true, force: true });
  await mkdir(join(work, "burst_mod"), { recursive: true });
  await run("git", ["init", "-q", "--bare", "-b", "main", bare]);
  await run("git", ["init", "-q", "-b", "main", work]);
  await writeFile(join(work, "burst_mod", "__init__.py"), "");
  await writeFile(
    join(work, "burst_mod", "__manifest__.py"),
    `{'name': 'burst_mod', 'version': '${SERIES}.1.0.0', 'depends': ['base'], 'license': 'LGPL-3'}\n`,
  );
  await git(work, "add", "-A");
  await git(work, "commit", "-q", "-m", "burst_mod");
  await git(work, "push", "-q", bare, "main");
  const root = await git(bare, "rev-parse", "main");
  const tree = await git(bare, "rev-parse", "main^{tree}");
  // Commits made with plumbing (same tree, new message): hundreds in seconds.
  const chains = new Map<string, string[]>();
  for (let b = 0; b < branches; b++) {
    const branch = `burst-${String(b).padStart(2, "0")}`;
    const chain = [root];
    for (let n = 0; n < perBranch; n++) {
      chain.push(await git(bare, "commit-tree", tree, "-p", chain.at(-1)!, "-m", `${branch} push ${n + 1}`));
    }
    await git(bare, "update-ref", `refs/heads/${branch}`, chain.at(-1)!);
    chains.set(branch, chain);
  }
  return chains;
}

/** When each push goes: spread at random over the window, some followed 20 ms later by the next. */
function schedule(chains: Map<string, string[]>, windowMs: number, supersededShare: number): Push[] {
  const pushes: Push[] = [];
  for (const [branch, chain] of chains) {
    const times = chain
      .slice(1)
      .map(() => Math.random() * windowMs)
      .sort((a, b) => a - b);
    for (let n = 1; n < chain.length; n++) {
      pushes.push({
        branch,
        before: chain[n - 1]!,
        after: chain[n]!,
        at: times[n - 1]!,
        guid: randomUUID(),
        superseded: false,
      });
    }
  }
  // Pick pushes that have a next one on their branch; pull that next one to 20 ms after.
  const candidates = pushes.filter((p, i) => pushes[i + 1]?.branch === p.branch);
  const wanted = Math.round(pushes.length * supersededShare);
  for (const p of candidates.sort(() => Math.random() - 0.5).slice(0, wanted)) {
    const next = pushes[pushes.indexOf(p) + 1]!;
    if (next.superseded) continue;
    p.superseded = true;
    next.at = p.at + 20;
  }
  // Later pushes of a branch never go before earlier ones.
  for (let i = 1; i < pushes.length; i++) {
    if (pushes[i]!.branch === pushes[i - 1]!.branch && pushes[i]!.at < pushes[i - 1]!.at) {
      pushes[i]!.at = pushes[i - 1]!.at + 1;
    }
  }
  return pushes;
}

const ms = (v: number) => `${v.toFixed(0)} ms`;

async function main(): Promise<void> {
  if (await cleanIfAsked(env, flag("--clean"))) return;
  const deliveries = Number(option("--pushes", "500"));
  const branches = Number(option("--branches", "50"));
  const windowMs = Number(option("--seconds", "60")) * 1000;
  const duplicateShare = Number(option("--duplicates", "0.1"));
  const supersededShare = Number(option("--superseded", "0.1"));
  const build = flag("--build");
  const duplicates = Math.round(deliveries * duplicateShare);
  const perBranch = Math.max(1, Math.round((deliveries - duplicates) / branches));
  console.log(machineLine());

  await freshBenchDatabase(env);
  const chains = await makeRepository(branches, perBranch);
  const platform = await startPlatform({ bare, name: "burst", series: SERIES, defaultBranch: "main" });
  const { prisma } = await import("@gantry/db");
  const worker = build ? platform.startWorker() : null;
  try {
    await worker?.ready;
    // Baseline: single deliveries one at a time on the idle platform, on a branch of their own.
    const baselineChain = [...chains.get("burst-00")!];
    const single: number[] = [];
    const baselineBranch = "baseline";
    await git(bare, "update-ref", `refs/heads/${baselineBranch}`, baselineChain.at(-1)!);
    for (let n = 1; n < Math.min(baselineChain.length, 11); n++) {
      const started = performance.now();
      const answer = await platform.deliverPush(baselineBranch, {
        before: baselineChain[n - 1]!,
        after: baselineChain[n]!,
        message: `baseline ${n}`,
      });
      single.push(performance.now() - started);
      if (answer.status !== 200) throw new Error(`baseline delivery refused: ${answer.status}`);
    }

    const pushes = schedule(chains, windowMs, supersededShare);
    const again = [...pushes].sort(() => Math.random() - 0.5).slice(0, duplicates);
    type Sent = { push: Push; duplicate: boolean; at: number };
    const plan: Sent[] = [
      ...pushes.map((push) => ({ push, duplicate: false, at: push.at })),
      ...again.map((push) => ({ push, duplicate: true, at: push.at + 50 + Math.random() * 2000 })),
    ].sort((a, b) => a.at - b.at);
    console.log(
      `burst: ${plan.length} deliveries (${pushes.length} distinct pushes, ${again.length} duplicates, ` +
        `${pushes.filter((p) => p.superseded).length} replaced 20 ms later) over ${branches} branches ` +
        `in ${windowMs / 1000} s${build ? ", a worker building" : ", no worker"}…`,
    );
    const t0 = performance.now();
    const answers: { sent: Sent; status: number; outcome: string; ms: number }[] = [];
    await Promise.all(
      plan.map(
        (sent) =>
          new Promise<void>((resolveSent) => {
            setTimeout(
              async () => {
                const started = performance.now();
                const answer = await platform
                  .deliverPush(
                    sent.push.branch,
                    { before: sent.push.before, after: sent.push.after, message: sent.push.branch },
                    sent.push.guid,
                  )
                  .catch((error: unknown) => ({ status: 0, outcome: String(error) }));
                answers.push({
                  sent,
                  status: answer.status,
                  outcome: answer.outcome,
                  ms: performance.now() - started,
                });
                resolveSent();
              },
              Math.max(0, sent.at - (performance.now() - t0)),
            );
          }),
      ),
    );
    const burstSeconds = (performance.now() - t0) / 1000;

    // What Gantry made of it.
    const rows = await prisma().build.findMany({
      where: { projectId: platform.projectId, branch: { name: { startsWith: "burst-" } } },
      select: { id: true, commitSha: true, status: true, errorSummary: true, createdAt: true },
    });
    const bySha = new Map<string, typeof rows>();
    for (const row of rows) bySha.set(row.commitSha, [...(bySha.get(row.commitSha) ?? []), row]);
    const stale = answers.filter((a) => a.outcome === "stale").map((a) => a.sent.push.after);
    // A push that arrived after the newer push built on it is answered "stale" and not built.
    const lost = pushes.filter((p) => !bySha.has(p.after) && !stale.includes(p.after));
    const duplicated = [...bySha.values()].filter((r) => r.length > 1);
    const refused = answers.filter((a) => a.status !== 200);
    const answeredDuplicate = answers.filter((a) => a.outcome === "duplicate").length;
    const replaced = rows.filter(
      (r) => r.status === "CANCELLED" && /replaced by a newer push/.test(r.errorSummary ?? ""),
    );
    const supersededPushes = pushes.filter((p) => p.superseded);
    const supersededCancelled = supersededPushes.filter(
      (p) => stale.includes(p.after) || bySha.get(p.after)?.some((r) => r.status === "CANCELLED"),
    );

    // Every branch on its newest commit: queued (no worker), or built and serving (worker).
    const newest = [...chains].map(([branch, chain]) => ({ branch, sha: chain.at(-1)! }));
    const endState = async () => {
      const wrong: string[] = [];
      for (const { branch, sha } of newest) {
        const latest = await prisma().build.findFirst({
          where: { projectId: platform.projectId, branch: { name: branch }, status: { not: "CANCELLED" } },
          orderBy: { createdAt: "desc" },
          select: { commitSha: true, status: true, result: true, servingAt: true },
        });
        const ok = build
          ? latest?.commitSha === sha &&
            latest.status === "DONE" &&
            latest.result !== "FAILED" &&
            latest.servingAt
          : latest?.commitSha === sha && latest.status === "QUEUED";
        if (!ok)
          wrong.push(`${branch}: ${latest ? `${latest.commitSha.slice(0, 7)} ${latest.status}` : "none"}`);
      }
      return wrong;
    };
    let wrong = await endState();
    if (build) {
      console.log("waiting for every branch's newest build to serve…");
      const settled = await until(
        "every branch on its newest commit",
        async () => {
          wrong = await endState();
          return wrong.length === 0 ? true : undefined;
        },
        1_800_000,
        2000,
      ).catch(() => false);
      if (!settled) console.log(`  not settled after 30 min: ${wrong.slice(0, 5).join(", ")}`);
    }
    // No worker: every build but each branch's newest must have given way.
    const queuedBehind = build
      ? 0
      : rows.filter((r) => r.status === "QUEUED" && !newest.some((n) => n.sha === r.commitSha)).length;

    const times = answers.map((a) => a.ms);
    console.log("\nresults");
    const table: [string, string, string][] = [
      ["deliveries sent / answered 200", `${plan.length} / ${plan.length - refused.length}`, `all`],
      ["distinct pushes without a build (lost)", String(lost.length), "0"],
      ["commits with more than one build (duplicated)", String(duplicated.length), "0"],
      [
        "deliveries answered 'duplicate'",
        `${answeredDuplicate} of ${again.length} sent twice`,
        String(again.length),
      ],
      [
        "pushes replaced 20 ms later: build cancelled, or not built (late)",
        `${supersededCancelled.length} of ${supersededPushes.length}`,
        build ? "those not yet started" : String(supersededPushes.length),
      ],
      ["builds cancelled as replaced (all causes)", String(replaced.length), ""],
      ["pushes arriving after the push built on them (not built)", String(stale.length), ""],
      ...(build
        ? []
        : [
            ["older builds still queued behind a newer push", String(queuedBehind), "0"] as [
              string,
              string,
              string,
            ],
          ]),
      ["branches not on their newest commit", String(wrong.length), "0"],
      [
        "webhook answer during the burst p50 / p95 / max",
        `${ms(percentile(times, 50))} / ${ms(percentile(times, 95))} / ${ms(Math.max(...times))}`,
        "",
      ],
      [
        "baseline: one at a time, idle, p50 / max",
        `${ms(percentile(single, 50))} / ${ms(Math.max(...single))}`,
        "",
      ],
      ["burst lasted", seconds(burstSeconds * 1000), ""],
    ];
    for (const [what, value, goal] of table)
      console.log(`  ${what}: ${value}${goal ? ` (goal ${goal})` : ""}`);
    if (wrong.length)
      console.log(`  first branches not on their newest commit: ${wrong.slice(0, 5).join(", ")}`);
    const violations = lost.length + duplicated.length + wrong.length + queuedBehind + refused.length;
    console.log(`\nviolations: ${violations}`);
    process.exitCode = violations ? 1 : 0;
  } finally {
    await worker?.stop();
    await platform.close();
    await removeBenchData(env).catch((error) => console.error(`cleaning up: ${String(error)}`));
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
