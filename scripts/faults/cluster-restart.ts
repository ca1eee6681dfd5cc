// The build cluster restarted while a development build installs: a PostgreSQL cluster of the
// fault's own (the shared ones are never restarted) registered as the project's development
// server, a build of the fixture's install-slow branch (its hook holds the install 15 s with
// its connection open), the cluster stopped and started again at that moment. That build must
// fail with a reason a person understands; the next build of the branch must succeed.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { waitFor } from "../../tests/integration/builds/support";
import { PrivateCluster } from "../../tests/support/private-cluster";
import { openBuildPort } from "./lib/build-firewall";
import { check, type Tally } from "./lib/tally";
import { type StartedJob, startBuild } from "./worker-kill/jobs";
import { createFaultPlatform, type FaultEnv, type FaultPlatform } from "./worker-kill/platform";

const BRANCH = "install-slow";
const HOLDING = "acme_slow: holding the install";

/** Registers the cluster as the project's development server (the registry a stage maps to). */
async function registerDevServer(platform: FaultPlatform, cluster: PrivateCluster): Promise<void> {
  const { prisma } = await import("@gantry/db");
  const { config } = await import("@gantry/config");
  const { encrypt } = await import("../../packages/secrets/src/index");
  const server = await prisma().dbServer.create({
    data: {
      name: `fault-dev-${cluster.port}`,
      host: "127.0.0.1",
      port: cluster.port,
      adminUser: cluster.user,
      adminPasswordEnc: encrypt(cluster.password, config().GANTRY_SECRET!),
    },
  });
  await prisma().projectDbServer.create({
    data: { projectId: platform.projectId, stage: "DEVELOPMENT", serverId: server.id },
  });
}

async function logsHold(platform: FaultPlatform, buildId: string, marker: string): Promise<boolean> {
  const dir = join(platform.env.dataDir, "builds", buildId, "logs");
  for (const file of await readdir(dir).catch(() => [])) {
    if ((await readFile(join(dir, file), "utf8").catch(() => "")).includes(marker)) return true;
  }
  return false;
}

async function ended(started: StartedJob) {
  return waitFor(
    `the build ${started.id} to end`,
    async () => {
      const state = await started.read();
      return state.ended ? state : undefined;
    },
    600_000,
  );
}

async function buildRow(id: string) {
  const { prisma } = await import("@gantry/db");
  return prisma().build.findUniqueOrThrow({ where: { id } });
}

async function clusterRestartTrial(
  platform: FaultPlatform,
  cluster: PrivateCluster,
  branchId: string,
  tally: Tally,
): Promise<void> {
  const started = await startBuild(platform, branchId, "DEVELOPMENT", BRANCH);
  await waitFor(
    "the install to hold",
    async () => ((await logsHold(platform, started.id, HOLDING)) ? true : undefined),
    600_000,
  );
  tally.trials += 1;
  tally.faults += 1;
  // A fast shutdown cuts every session, as an operator's restart does; started again at once.
  await cluster.stop();
  await cluster.start();
  await ended(started);
  const failed = await buildRow(started.id);
  const summary = failed.errorSummary ?? "";
  check(
    tally,
    "the build during the restart failed",
    failed.status === "DONE" && failed.result === "FAILED"
      ? []
      : [`${failed.id}: ${failed.status} ${failed.result}`],
  );
  check(
    tally,
    "its reason names the database server's restart",
    /database server/i.test(summary) && /restart|went away|connection/i.test(summary)
      ? []
      : [`"${summary.split("\n")[0]}"`],
  );
  const next = await ended(await startBuild(platform, branchId, "DEVELOPMENT", BRANCH));
  check(
    tally,
    "the next build succeeds",
    next.outcome.startsWith("DONE SUCCESS") || next.outcome.startsWith("DONE WARNING") ? [] : [next.outcome],
  );
  tally.notes.push(`restarted while installing: "${summary.split("\n")[0]}"; next build: ${next.outcome}`);
}

/** `trials` restarts of a private development cluster, each during an install. */
export async function clusterRestartTrials(env: FaultEnv, trials: number, tally: Tally): Promise<void> {
  const { config } = await import("@gantry/config");
  const cluster = await PrivateCluster.create({ buildsPool: config().BUILD_NETWORK_POOL });
  const close = await openBuildPort(cluster.port);
  let platform: FaultPlatform | undefined;
  try {
    platform = await createFaultPlatform(env);
    await registerDevServer(platform, cluster);
    const { prisma } = await import("@gantry/db");
    const branch = await prisma().branch.create({
      data: { projectId: platform.projectId, name: BRANCH, stage: "DEVELOPMENT" },
    });
    await platform.startWorker();
    for (let i = 0; i < trials; i++) {
      await clusterRestartTrial(platform, cluster, branch.id, tally);
      process.stderr.write(`trial ${i + 1}/${trials}: ${tally.notes.at(-1)}\n`);
    }
  } finally {
    await platform?.close();
    await close();
    await cluster.destroy();
  }
}
