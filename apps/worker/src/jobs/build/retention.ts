// Development builds kept per branch: the newest BUILD_DEV_KEEP, none older than
// BUILD_DEV_MAX_AGE_HOURS. Staging keeps only its latest build.
import { config } from "@gantry/config";
import { prisma } from "@gantry/db";

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
