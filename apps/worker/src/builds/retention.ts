// Development builds kept per branch: the newest BUILD_DEV_KEEP, none older than
// BUILD_DEV_MAX_AGE_HOURS. Staging keeps only its latest build; production the one serving.
import { config } from "@gantry/config";
import { servingFilter, servingOrder } from "@gantry/core";
import { type Prisma, prisma } from "@gantry/db";

export interface RetainedBuild {
  id: string;
  createdAt: Date;
}

/** Pure: which of a branch's finished builds (newest first) to clean. */
export function buildsToClean(
  builds: readonly RetainedBuild[],
  rule: { keep: number; maxAgeMs: number | null },
  now: number,
): string[] {
  return builds
    .filter(
      (build, index) =>
        index >= rule.keep || (rule.maxAgeMs !== null && now - build.createdAt.getTime() > rule.maxAgeMs),
    )
    .map((build) => build.id);
}

export async function branchBuildsToClean(
  branchId: string,
  stage: "DEVELOPMENT" | "STAGING",
): Promise<string[]> {
  const builds = await prisma().build.findMany({
    where: { branchId, stage, status: { in: ["DONE", "CANCELLED"] }, cleanedAt: null },
    orderBy: { createdAt: "desc" },
    select: { id: true, createdAt: true },
  });
  const rule =
    stage === "DEVELOPMENT"
      ? { keep: config().BUILD_DEV_KEEP, maxAgeMs: config().BUILD_DEV_MAX_AGE_HOURS * 3600 * 1000 }
      : { keep: 1, maxAgeMs: null };
  return buildsToClean(builds, rule, Date.now());
}

/**
 * Production keeps the build that serves (its database and filestore are the branch's and are
 * never dropped by cleaning a build); every other finished production build of the branch goes.
 */
export async function productionBuildsToClean(branchId: string): Promise<string[]> {
  const finished: Prisma.BuildWhereInput = {
    branchId,
    stage: "PRODUCTION",
    status: { in: ["DONE", "CANCELLED"] },
  };
  const builds = await prisma().build.findMany({
    where: { ...finished, cleanedAt: null },
    select: { id: true },
  });
  const live = await prisma().build.findFirst({
    where: { ...finished, ...servingFilter },
    orderBy: servingOrder,
    select: { id: true },
  });
  return builds.filter((build) => build.id !== live?.id).map((build) => build.id);
}
