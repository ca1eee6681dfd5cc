// What the uptime probe looks at: each production branch's serving build, awake, and whether
// the branch is in a maintenance window. A window is any of: a build of the branch running (a
// deploy, a module update, a move to a new revision of the series; production stops for its
// update), a production upgrade attempt running, a restore into the branch running. Probes
// taken then are recorded as MAINTENANCE and count neither as up nor as down.
import { prisma } from "@gantry/db";
import { servingFilter, servingOrder } from "../builds/serving";

export interface ProbeTarget {
  projectId: string;
  branchId: string;
  buildId: string;
  containerName: string | null;
  httpPort: number;
  downAlertMinutes: number;
}

/** Production branches of live projects whose serving build has a port and is not asleep. */
export async function probeTargets(): Promise<ProbeTarget[]> {
  const branches = await prisma().branch.findMany({
    where: { stage: "PRODUCTION", project: { deletionRequestedAt: null } },
    select: {
      id: true,
      projectId: true,
      project: { select: { downAlertMinutes: true } },
      builds: {
        where: servingFilter,
        orderBy: servingOrder,
        take: 1,
        select: { id: true, containerName: true, httpPort: true, sleepingSince: true },
      },
    },
  });
  const targets: ProbeTarget[] = [];
  for (const branch of branches) {
    const build = branch.builds[0];
    // Asleep by design is not down; a build without a port never served on this host.
    if (!build || build.sleepingSince || build.httpPort === null) continue;
    targets.push({
      projectId: branch.projectId,
      branchId: branch.id,
      buildId: build.id,
      containerName: build.containerName,
      httpPort: build.httpPort,
      downAlertMinutes: branch.project.downAlertMinutes,
    });
  }
  return targets;
}

/** The branches among `branchIds` in a maintenance window now. */
export async function branchesInMaintenance(branchIds: readonly string[]): Promise<Set<string>> {
  if (branchIds.length === 0) return new Set();
  const ids = [...branchIds];
  const [builds, upgrades, restores] = await Promise.all([
    prisma().build.findMany({
      where: { branchId: { in: ids }, status: "RUNNING" },
      select: { branchId: true },
    }),
    prisma().upgradeAttempt.findMany({
      where: { branchId: { in: ids }, kind: "PRODUCTION", status: "RUNNING" },
      select: { branchId: true },
    }),
    prisma().backupRestore.findMany({
      where: { branchId: { in: ids }, status: "RUNNING" },
      select: { branchId: true },
    }),
  ]);
  return new Set([...builds, ...upgrades, ...restores].map((row) => row.branchId));
}

/** The build serving the branch now (it changes when a deploy ends). */
export async function servingBuildId(branchId: string): Promise<string | null> {
  const build = await prisma().build.findFirst({
    where: { branchId, ...servingFilter },
    orderBy: servingOrder,
    select: { id: true },
  });
  return build?.id ?? null;
}
