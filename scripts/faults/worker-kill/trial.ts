// One trial: a job of a random kind started, the worker SIGKILLed (with everything it started)
// at a random moment of the job's usual run time, a worker started again at once; then the
// checks: the job is not stuck 60 s after the restart, nothing is left of what is not alive,
// production serves the same data. Upgrades run on a project of their own (upgrade-project.ts);
// for a production upgrade "the same data" is production back on 17.0 with its records as
// they were, or upgraded whole: on 18.0, serving, its records as the upgrade makes them.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { waitFor } from "../../../tests/integration/builds/support";
import type { WorkerProcess } from "../../../tests/integration/worker/worker-process";
import { pick, type Random } from "../lib/random";
import { check, type Tally } from "../lib/tally";
import { isUpgradeKind, JOB_KINDS, type JobKind, type StartedJob, startJob } from "./jobs";
import { findLeftovers } from "./leftovers";
import type { FaultPlatform, FaultProject } from "./platform";
import { productionChecksum, productionServes } from "./production";
import { upgradeWindow } from "./upgrade-calibration";
import { productionOnSeries, upgradeChecksums } from "./upgrade-production";
import {
  createUpgradeProject,
  deleteUpgradeProject,
  FROM_SERIES,
  startUpgrade,
  TO_SERIES,
  type UpgradeProject,
} from "./upgrade-project";

const STUCK_LIMIT_MS = 60_000;

async function prepare(platform: FaultPlatform, kind: JobKind): Promise<void> {
  await platform.ensureProduction();
  if (kind === "staging build" || kind === "restore" || kind === "import") await platform.ensureStaging();
  if (kind === "restore" || kind === "import") await platform.ensureBackup();
}

/** Every build, backup, restore and upgrade of the project at an end: nothing left running or queued. */
async function allEnded(project: FaultProject): Promise<true | undefined> {
  const { prisma } = await import("@gantry/db");
  const where = { projectId: project.projectId };
  const [builds, backups, restores, attempts] = await Promise.all([
    prisma().build.count({ where: { ...where, status: { in: ["QUEUED", "RUNNING"] } } }),
    prisma().backup.count({ where: { ...where, status: { in: ["PENDING", "RUNNING"] } } }),
    prisma().backupRestore.count({ where: { ...where, status: { in: ["PENDING", "RUNNING"] } } }),
    prisma().upgradeAttempt.count({
      where: { ...where, status: { in: ["SCHEDULED", "QUEUED", "RUNNING"] } },
    }),
  ]);
  return builds + backups + restores + attempts === 0 ? true : undefined;
}

export async function workerKillTrial(
  platform: FaultPlatform,
  random: Random,
  tally: Tally,
  kinds: readonly JobKind[] = JOB_KINDS,
): Promise<void> {
  const kind = pick(random, kinds);
  const killed = platform.worker ?? (await platform.startWorker());
  let subject: FaultProject = platform;
  let upgrade: UpgradeProject | undefined;
  let window: number;
  if (isUpgradeKind(kind)) {
    window = await upgradeWindow(platform, kind);
    upgrade = await createUpgradeProject(platform, kind);
    subject = upgrade;
  } else {
    await prepare(platform, kind);
    window = platform.durations.get(kind) ?? platform.durations.get("production build") ?? 30_000;
  }
  const checksums = upgrade
    ? await upgradeChecksums(upgrade)
    : { now: await productionChecksum(platform), upgraded: undefined };
  const delay = Math.round(random() * window);

  const trialStart = Date.now();
  const started: StartedJob =
    upgrade && isUpgradeKind(kind)
      ? await startUpgrade(platform, upgrade, kind)
      : await startJob(platform, kind as never);
  await new Promise((r) => setTimeout(r, delay));
  const before = await started.read();
  killed.killAll();
  await killed.exited;
  tally.trials += 1;
  tally.faults += 1;
  const restarted = await platform.startWorker();
  const restartedAt = Date.now();

  // Not stuck: ended, or taken up again by the new worker, within the limit.
  const moving = await waitFor(
    `the ${kind} to end or be taken up again`,
    async () => {
      const now = await started.read();
      return now.ended || (now.workerId && now.workerId !== before.workerId) ? now : undefined;
    },
    STUCK_LIMIT_MS,
  ).catch(() => undefined);
  check(
    tally,
    "job ended or taken up again <= 60 s after the restart",
    moving
      ? []
      : [`${kind} ${started.id} (${(await started.read()).outcome}) after ${Date.now() - restartedAt} ms`],
  );
  const settled = await waitFor("every job of the project to end", () => allEnded(subject), 600_000).catch(
    () => undefined,
  );
  check(tally, "every job ended afterwards", settled ? [] : [`jobs still running after the ${kind} trial`]);
  const after = await started.read();
  tally.notes.push(
    `${kind}, killed after ${delay} ms of ~${window} ms (${before.ended ? "already ended" : "running"}): ${after.outcome}`,
  );

  // Cleanup of a failed build runs after its report: give it the same limit to happen.
  const leftovers = await waitFor(
    "nothing left behind",
    async () => {
      const found = await findLeftovers(platform, trialStart, subject);
      return Object.values(found).every((list) => list.length === 0) ? found : undefined;
    },
    STUCK_LIMIT_MS,
  ).catch(() => findLeftovers(platform, trialStart, subject));
  await keepLogs(tally.trials, killed, restarted);
  check(tally, "orphan containers", leftovers.containers);
  check(tally, "orphan databases", leftovers.databases);
  check(tally, "orphan roles", leftovers.roles);
  check(tally, "orphan work dirs and scratch files", leftovers.files);
  check(tally, "production serving", await productionServes(subject));
  // A production upgrade that succeeded moved production on as a whole; any other outcome
  // leaves it exactly as it was (Odoo.sh's rule: a failed or interrupted upgrade changes nothing).
  const upgraded = kind === "production upgrade" && after.outcome.startsWith("SUCCEEDED");
  const expected = upgraded ? checksums.upgraded : checksums.now;
  const now = upgrade ? (await upgradeChecksums(upgrade)).now : await productionChecksum(platform);
  check(
    tally,
    "production data checksum unchanged (or upgraded whole)",
    now === expected ? [] : [`${expected} expected, ${now} found (${after.outcome})`],
  );
  if (kind === "production upgrade" && upgrade)
    check(
      tally,
      "production on one series (17.0 as before, or 18.0 upgraded)",
      await productionOnSeries(upgrade, upgraded ? TO_SERIES : FROM_SERIES),
    );
  if (restarted.child.exitCode !== null)
    throw new Error(`the restarted worker exited: ${restarted.stderr()}`);
  if (upgrade) await deleteUpgradeProject(platform, upgrade);
}

/** FAULT_LOGS=<folder>: both workers' log lines of each trial, as JSON lines, to see what a violation came from. */
async function keepLogs(trial: number, killed: WorkerProcess, restarted: WorkerProcess): Promise<void> {
  const folder = process.env.FAULT_LOGS;
  if (!folder) return;
  await mkdir(folder, { recursive: true });
  for (const [name, worker] of [
    ["killed", killed],
    ["restarted", restarted],
  ] as const) {
    const lines = worker.logs.map((line) => JSON.stringify(line)).join("\n");
    await writeFile(join(folder, `trial-${trial}-${name}.jsonl`), `${lines}\n`);
  }
}
