/** The words the dashboard uses for where a build runs (its serving container's node). */
export interface BuildPlacement {
  stage: string;
  servingAt: string | Date | null;
  cleanedAt: string | Date | null;
  sleepingSince?: string | Date | null;
  servingNode: string | null;
  /** Since when the cluster lost that node while the build should serve there. */
  nodeLostAt?: string | Date | null;
}

/** "runs on" while it serves, "ran on" once it sleeps or was cleaned; null before it served. */
export function placementText(build: BuildPlacement): string | null {
  if (!build.servingNode || !build.servingAt) return null;
  const now = !build.cleanedAt && !build.sleepingSince;
  return `${now ? "Runs on" : "Ran on"} ${build.servingNode}`;
}

/** The banner of a build whose node the cluster lost; null while its node answers. */
export function nodeLostText(build: BuildPlacement): { title: string; detail: string } | null {
  if (!build.nodeLostAt || !build.servingNode || build.cleanedAt) return null;
  // UTC, the same on the server and in the browser.
  const since = new Date(build.nodeLostAt).toISOString().slice(11, 16);
  const title = `Node ${build.servingNode} stopped answering the cluster at ${since} UTC`;
  return build.stage === "PRODUCTION"
    ? {
        title,
        detail:
          "Production waits for its node to come back: its filestore lives there. The project's channels that follow “Production build down” were told.",
      }
    : {
        title,
        detail:
          "The cluster starts the build again on another node of its pool; its address answers from there once it runs.",
      };
}
