// Idle sleep of staging and development builds: which builds are idle, the sleeping flag set
// and cleared compare-and-set, the last request recorded from the proxy's log, and the wake
// request the "starting" page makes. Production is never put to sleep.
import { type Prisma, prisma } from "@gantry/db";
import { enqueue, getJobView, wakeBuildJobId } from "@gantry/queue";
import { recordAudit } from "../audit";
import { AppError } from "../errors";
import { normalHost } from "../routing";
import { isServing, servingFilter } from "./serving";

/** The stages whose idle builds may sleep. */
export const sleepingStages = ["DEVELOPMENT", "STAGING"] as const;

/** A build that serves: finished, routed, its container and database still there. */
const awakeable = {
  status: "DONE",
  ...servingFilter,
  url: { not: null },
  containerName: { not: null },
  httpPort: { not: null },
} as const;

/** Not requested since `cutoff`, and serving since before it. */
function idleSince(cutoff: Date) {
  return {
    servingAt: { lt: cutoff },
    OR: [{ lastRequestAt: null }, { lastRequestAt: { lt: cutoff } }],
  };
}

export function hostOfUrl(url: string): string | null {
  try {
    return normalHost(new URL(url).host);
  } catch {
    return null;
  }
}

/** Awake staging and development builds not requested since `cutoff`. */
export function idleBuilds(cutoff: Date) {
  return prisma().build.findMany({
    where: {
      ...awakeable,
      stage: { in: [...sleepingStages] },
      sleepingSince: null,
      ...idleSince(cutoff),
    },
    select: { id: true, url: true, containerName: true, httpPort: true, stage: true },
  });
}

/** Sleeping builds, for the sweep to check they really are. */
export function sleepingBuilds() {
  return prisma().build.findMany({
    where: { ...awakeable, sleepingSince: { not: null } },
    select: { id: true, url: true, containerName: true, httpPort: true, sleepingSince: true },
  });
}

/**
 * Records the newest request per host on the builds serving there; a time older than the
 * one recorded changes nothing. Returns how many builds got a newer time.
 */
export async function recordRequests(latest: ReadonlyMap<string, Date>): Promise<number> {
  if (latest.size === 0) return 0;
  const builds = await prisma().build.findMany({
    where: { ...servingFilter, url: { not: null } },
    select: { id: true, url: true },
  });
  let recorded = 0;
  for (const build of builds) {
    const host = hostOfUrl(build.url as string);
    const at = host ? latest.get(host) : undefined;
    if (!at) continue;
    const { count } = await prisma().build.updateMany({
      where: { id: build.id, OR: [{ lastRequestAt: null }, { lastRequestAt: { lt: at } }] },
      data: { lastRequestAt: at },
    });
    recorded += count;
  }
  return recorded;
}

/**
 * Awake and idle -> sleeping. Returns the time it was marked, or null when the build is no
 * longer an idle, awake, serving staging or development build (someone else moved it).
 */
export async function markSleeping(buildId: string, cutoff: Date): Promise<Date | null> {
  const now = new Date();
  return prisma().$transaction(async (tx) => {
    const { count } = await tx.build.updateMany({
      where: {
        id: buildId,
        ...awakeable,
        stage: { in: [...sleepingStages] },
        sleepingSince: null,
        ...idleSince(cutoff),
      },
      data: { sleepingSince: now },
    });
    if (count !== 1) return null;
    await recordPower(tx, buildId, "build.slept");
    return now;
  });
}

/** The sleep or wake in the audit log, where the Monitor charts find it. */
async function recordPower(
  tx: Prisma.TransactionClient,
  buildId: string,
  action: "build.slept" | "build.woke",
) {
  const build = await tx.build.findUniqueOrThrow({ where: { id: buildId }, select: { projectId: true } });
  await recordAudit({ action, projectId: build.projectId, target: buildId }, tx);
}

/** Sleeping since `since` -> awake, counting the wake as a request. False when it was not. */
export async function markAwake(buildId: string, since: Date): Promise<boolean> {
  return prisma().$transaction(async (tx) => {
    const { count } = await tx.build.updateMany({
      where: { id: buildId, sleepingSince: since },
      data: { sleepingSince: null, lastRequestAt: new Date() },
    });
    if (count !== 1) return false;
    await recordPower(tx, buildId, "build.woke");
    return true;
  });
}

export type WakeState =
  | { state: "awake"; url: string }
  | { state: "starting"; jobId: string }
  | { state: "failed"; jobId: string; reason: string };

/**
 * What the "starting" page asks: the build serving at `host`, woken by a worker. Only the
 * build's own address can wake it; every request while it starts maps to one job.
 */
export async function requestWake(buildId: string, host: string): Promise<WakeState> {
  const unknown = new AppError("not_found", "No build answers at this address.");
  if (!/^[a-z0-9]{1,40}$/.test(buildId)) throw unknown;
  const build = await prisma().build.findUnique({
    where: { id: buildId },
    select: { url: true, servingAt: true, cleanedAt: true, sleepingSince: true },
  });
  if (!build?.url || hostOfUrl(build.url) !== normalHost(host)) throw unknown;
  if (!isServing(build)) {
    throw new AppError("not_found", "This build was removed; a newer build of the branch may serve it.");
  }
  if (!build.sleepingSince) return { state: "awake", url: build.url };
  const jobId = wakeBuildJobId(buildId, build.sleepingSince);
  await enqueue("maintenance.wake-build", { buildId }, { jobId });
  const job = await getJobView("maintenance", jobId);
  if (job?.state === "failed") {
    return { state: "failed", jobId, reason: job.failedReason ?? "the worker could not start it" };
  }
  return { state: "starting", jobId };
}
