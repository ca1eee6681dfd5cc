// The audit of shell sessions: a row when one opens (who, which build, with which role) and
// its end (when, why, how much went each way), plus the project's audit log entry.
import { prisma } from "@gantry/db";
import { recordAudit } from "../audit";
import { isServing } from "../builds/serving";
import type { ShellGrant } from "./ticket";

export type ShellEndReason = "closed" | "idle" | "exited" | "error" | "shutdown";
/** What carries a session: the Shell tab, an SSH shell or command, or SFTP (files, no shell). */
export type ShellVia = "web" | "ssh" | "sftp";

export async function recordShellStart(grant: ShellGrant, via: ShellVia = "web"): Promise<string> {
  const row = await prisma().shellSession.create({
    data: {
      buildId: grant.buildId,
      projectId: grant.projectId,
      userId: grant.userId,
      userEmail: grant.userEmail,
      role: grant.role,
      via,
    },
    select: { id: true },
  });
  await recordAudit({
    action: "shell.opened",
    projectId: grant.projectId,
    userId: grant.userId,
    target: grant.buildId,
    data: { session: row.id, via, role: grant.role, stage: grant.stage },
  });
  return row.id;
}

export async function recordShellEnd(
  sessionId: string,
  end: { reason: ShellEndReason; bytesIn: number; bytesOut: number },
): Promise<void> {
  await prisma().shellSession.updateMany({
    where: { id: sessionId, endedAt: null },
    data: { endedAt: new Date(), endReason: end.reason, bytesIn: end.bytesIn, bytesOut: end.bytesOut },
  });
}

/** What a shell needs of its build: the serving container, its database and port, a prompt. */
export async function shellBuild(buildId: string) {
  const build = await prisma().build.findUnique({
    where: { id: buildId },
    select: {
      id: true,
      stage: true,
      branchId: true,
      containerName: true,
      databaseName: true,
      httpPort: true,
      servingAt: true,
      cleanedAt: true,
      sleepingSince: true,
      branch: { select: { name: true } },
      project: { select: { slug: true } },
    },
  });
  if (!build || !isServing(build) || !build.containerName || !build.databaseName) return null;
  return { ...build, containerName: build.containerName, databaseName: build.databaseName };
}

/**
 * Someone typing in a build's shell is using the build: idle sleep counts it as a request, so
 * the container is not stopped under them.
 */
export async function touchShellBuild(buildId: string): Promise<void> {
  await prisma().build.updateMany({ where: { id: buildId }, data: { lastRequestAt: new Date() } });
}
