/** The words the dashboard uses for where a build runs (its serving container's node). */
export interface BuildPlacement {
  stage: string;
  servingAt: string | Date | null;
  cleanedAt: string | Date | null;
  sleepingSince?: string | Date | null;
  servingNode: string | null;
}

/** "runs on" while it serves, "ran on" once it sleeps or was cleaned; null before it served. */
export function placementText(build: BuildPlacement): string | null {
  if (!build.servingNode || !build.servingAt) return null;
  const now = !build.cleanedAt && !build.sleepingSince;
  return `${now ? "Runs on" : "Ran on"} ${build.servingNode}`;
}
