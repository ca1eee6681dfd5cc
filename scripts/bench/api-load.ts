// The API under load: the dashboard's main reads, signed in, against a database the size of a
// busy installation, through the production build of the web app (`next start`).
//
//   pnpm exec tsx scripts/bench/api-load.ts [--projects N] [--builds N] [--rate N] [--seconds N]
//        [--connections N] [--clean]
//
// Defaults: 100 projects (3 branches each), 10,000 builds with their phases, 20 backups per
// project, one person collaborator of every project. Then, one after the other with autocannon:
//   1. each read alone for a short run (capacity and latency per read),
//   2. the goal run: --rate signed-in requests per second (default 200) for --seconds (default
//      60) spread over the five reads (project list, branch board, builds page, a build with its
//      phases, backups list), with a session cookie as the dashboard sends it,
//   3. the same mix with an API token (Authorization: Bearer),
//   4. the baseline in the same run: the anonymous answer (401) of the same route, which runs
//      the route's own code without the session check and the reads.
// Goal: p95 < 50 ms and no error at 200 req/s. The web app is built first if needed (turbo
// caches the build).
import { randomBytes } from "node:crypto";
import autocannon from "autocannon";
import { flag, option } from "./lib/args";
import {
  benchEnvironment,
  cleanIfAsked,
  freshBenchDatabase,
  machineLine,
  removeBenchData,
} from "./lib/platform";
import { buildWeb, signIn, startWeb } from "./lib/web";

const env = benchEnvironment("api-load");

interface Seeded {
  projectIds: string[];
  buildIds: string[];
  userId: string;
  email: string;
  password: string;
}

/** Projects, branches, builds with phases and backups, in bulk; one person sees every project. */
async function seed(projects: number, builds: number): Promise<Seeded> {
  const { prisma } = await import("@gantry/db");
  const core = await import("@gantry/core");
  const email = `load-${randomBytes(3).toString("hex")}@example.com`;
  const password = randomBytes(12).toString("hex");
  const user = await core.createUserWithPassword({ email, name: "Load", password, isAdmin: false });
  const projectIds: string[] = [];
  const buildIds: string[] = [];
  const perProject = Math.ceil(builds / projects);
  const phases = ["code", "image", "database", "install", "tests", "serve"];
  for (let p = 0; p < projects; p++) {
    const project = await prisma().project.create({
      data: {
        slug: `load-${p}`,
        name: `Load ${p}`,
        githubOwner: "load",
        githubRepo: `repo-${p}`,
        odooSeries: "17.0",
        collaborators: { create: { userId: user.id, role: "ADMIN" } },
      },
      select: { id: true },
    });
    projectIds.push(project.id);
    const branches = await Promise.all(
      (["PRODUCTION", "STAGING", "DEVELOPMENT"] as const).map((stage, i) =>
        prisma().branch.create({
          data: { projectId: project.id, name: ["main", "staging", "feature"][i]!, stage },
          select: { id: true, stage: true },
        }),
      ),
    );
    const rows = Array.from({ length: Math.min(perProject, builds - p * perProject) }, (_, n) => {
      const branch = branches[n % branches.length]!;
      const at = new Date(Date.now() - (perProject - n) * 60_000);
      return {
        id: `ld${p.toString(36)}x${n.toString(36)}${randomBytes(4).toString("hex")}`,
        projectId: project.id,
        branchId: branch.id,
        stage: branch.stage,
        commitSha: randomBytes(20).toString("hex"),
        commitMessage: `change ${n}`,
        status: "DONE" as const,
        result: (n % 10 === 0 ? "FAILED" : "SUCCESS") as "FAILED" | "SUCCESS",
        createdAt: at,
        startedAt: at,
        finishedAt: new Date(at.getTime() + 30_000),
        cleanedAt: n < perProject - 3 ? new Date(at.getTime() + 60_000) : null,
      };
    });
    if (rows.length === 0) continue;
    await prisma().build.createMany({ data: rows });
    await prisma().buildPhase.createMany({
      data: rows.flatMap((row) =>
        phases.map((name, position) => ({
          buildId: row.id,
          name,
          position,
          status: "DONE" as const,
          startedAt: row.startedAt,
          finishedAt: row.finishedAt,
        })),
      ),
    });
    await prisma().backup.createMany({
      data: Array.from({ length: 20 }, (_, n) => ({
        projectId: project.id,
        branchId: branches[0]!.id,
        kind: "DAILY" as const,
        createdAt: new Date(Date.now() - n * 86_400_000),
      })),
    });
    buildIds.push(...rows.map((r) => r.id));
  }
  return { projectIds, buildIds, userId: user.id, email, password };
}

interface Figures {
  label: string;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  non2xx: number;
}

async function load(
  label: string,
  base: string,
  paths: () => string,
  headers: Record<string, string>,
  opts: { seconds: number; connections: number; rate?: number },
): Promise<Figures> {
  const result = await autocannon({
    url: base,
    duration: opts.seconds,
    connections: opts.connections,
    ...(opts.rate ? { overallRate: opts.rate } : {}),
    requests: [{ method: "GET", headers, setupRequest: (request) => ({ ...request, path: paths() }) }],
  });
  // autocannon reports p97.5 and p99 directly; p95 comes from its histogram's percentiles.
  const latency = result.latency as unknown as Record<string, number>;
  return {
    label,
    rps: result.requests.average,
    p50: latency.p50 ?? Number.NaN,
    p95: latency.p95 ?? latency.p97_5 ?? Number.NaN,
    p99: latency.p99 ?? Number.NaN,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

const row = (f: Figures) =>
  `| ${f.label} | ${f.rps.toFixed(0)} | ${f.p50} ms | ${f.p95} ms | ${f.p99} ms | ${f.errors} | ${f.non2xx} |`;

async function main(): Promise<void> {
  if (await cleanIfAsked(env, flag("--clean"))) return;
  const projects = Number(option("--projects", "100"));
  const builds = Number(option("--builds", "10000"));
  const rate = Number(option("--rate", "200"));
  const seconds = Number(option("--seconds", "60"));
  const connections = Number(option("--connections", "20"));
  console.log(machineLine());
  console.log("building the web app (cached when unchanged)…");
  await buildWeb();
  await freshBenchDatabase(env);
  const started = Date.now();
  const data = await seed(projects, builds);
  console.log(
    `seeded ${projects} projects, ${data.buildIds.length} builds in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );

  const web = await startWeb();
  const { base } = web;
  try {
    const cookie = await signIn(base, data.email, data.password);
    const core = await import("@gantry/core");
    const principal = await core.principalOf(data.userId, null);
    const { token } = await core.createToken(principal!, { name: "load", projectIds: data.projectIds });

    const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)]!;
    const reads: Record<string, () => string> = {
      "project list": () => "/api/v1/projects",
      "branch board": () => `/api/v1/projects/${pick(data.projectIds)}/branches`,
      "builds page": () => `/api/v1/projects/${pick(data.projectIds)}/builds`,
      "a build with its phases": () => `/api/v1/builds/${pick(data.buildIds)}`,
      "backups list": () => `/api/v1/projects/${pick(data.projectIds)}/backups`,
    };
    const names = Object.keys(reads);
    const mix = () => reads[pick(names)]!();
    // Every read answers 200 before anything is measured.
    for (const [name, path] of Object.entries(reads)) {
      const answer = await fetch(`${base}${path()}`, { headers: { cookie } });
      if (answer.status !== 200) throw new Error(`${name} answered ${answer.status}: ${await answer.text()}`);
    }
    // Warm-up: the first requests compile nothing in production, but fill caches and pools.
    await load("warm-up", base, mix, { cookie }, { seconds: 5, connections: 5 });

    const results: Figures[] = [];
    for (const [name, path] of Object.entries(reads)) {
      results.push(
        await load(
          `${name} alone (capacity, ${connections} connections)`,
          base,
          path,
          { cookie },
          { seconds: 10, connections },
        ),
      );
      console.log(row(results.at(-1)!));
    }
    results.push(
      await load(
        `mix at ${rate} req/s, session cookie`,
        base,
        mix,
        { cookie },
        { seconds, connections, rate },
      ),
    );
    console.log(row(results.at(-1)!));
    results.push(
      await load(
        `mix at ${rate} req/s, API token`,
        base,
        mix,
        { authorization: `Bearer ${token}` },
        { seconds: Math.min(seconds, 20), connections, rate },
      ),
    );
    console.log(row(results.at(-1)!));
    results.push(
      await load(
        `baseline: anonymous 401 at ${rate} req/s`,
        base,
        () => "/api/v1/projects",
        {},
        { seconds: Math.min(seconds, 20), connections, rate },
      ),
    );
    console.log(row(results.at(-1)!));

    console.log(
      "\n| run | req/s | p50 | p95 | p99 | errors | non-2xx |\n| --- | --- | --- | --- | --- | --- | --- |",
    );
    for (const f of results) console.log(row(f));
    const goal = results.find((f) => f.label.startsWith("mix") && f.label.includes("session"))!;
    console.log(
      `\ngoal (p95 < 50 ms, no error at ${rate} req/s): ${goal.p95 < 50 && goal.errors === 0 && goal.non2xx === 0 ? "met" : "not met"}`,
    );
  } finally {
    web.stop();
    const { prisma } = await import("@gantry/db");
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
