// What the dashboard shows: live branches by stage with their latest build, and one branch's
// build history.
import { prisma } from "@gantry/db";
import { type Actor, assertCan, can, type Stage } from "../access";
import { AppError } from "../errors";
import { gateSelect, gateView } from "../gates/view";

export interface BuildRow {
  id: string;
  stage: Stage;
  commitSha: string;
  commitMessage: string;
  commitAuthor: string;
  status: string;
  result: string | null;
  trigger: string;
  url: string | null;
  createdAt: Date;
  finishedAt: Date | null;
  errorSummary: string | null;
  servingAt: Date | null;
  cleanedAt: Date | null;
  /** The node its serving container was last seen on. */
  servingNode: string | null;
  /** Since when that node is down while the build should serve there. */
  nodeLostAt: Date | null;
  /** What a build held by the deploy gates waits for. */
  gate: ReturnType<typeof gateView>;
}

export interface BoardBranch {
  id: string;
  name: string;
  stage: Stage;
  lastSeenSha: string | null;
  pullRequestNumber: number | null;
  pullRequestUrl: string | null;
  lastBuild: BuildRow | null;
  /** Production whose branch was deleted on GitHub: still serving, kept until someone decides. */
  deletedOnGithub: boolean;
}

const buildSelect = {
  id: true,
  stage: true,
  commitSha: true,
  commitMessage: true,
  commitAuthor: true,
  status: true,
  result: true,
  trigger: true,
  url: true,
  createdAt: true,
  finishedAt: true,
  errorSummary: true,
  servingAt: true,
  cleanedAt: true,
  servingNode: true,
  nodeLostAt: true,
  gate: gateSelect,
} as const;

export async function branchBoard(actor: Actor, projectId: string) {
  assertCan(actor, "status", { projectId });
  const rows = await prisma().branch.findMany({
    where: { projectId, OR: [{ deletedAt: null }, { stage: "PRODUCTION" }] },
    orderBy: [{ position: "asc" }, { name: "asc" }],
    select: {
      id: true,
      deletedAt: true,
      name: true,
      stage: true,
      lastSeenSha: true,
      pullRequestNumber: true,
      pullRequestUrl: true,
      builds: { orderBy: { createdAt: "desc" }, take: 1, select: buildSelect },
    },
  });
  const branches: BoardBranch[] = rows.map(({ builds, deletedAt, ...b }) => ({
    ...b,
    lastBuild: builds[0] ? { ...builds[0], gate: gateView(builds[0].gate) } : null,
    deletedOnGithub: deletedAt !== null,
  }));
  const project = await prisma().project.findUnique({
    where: { id: projectId },
    select: { stagingLimit: true },
  });
  return {
    branches,
    stagingLimit: project?.stagingLimit ?? 0,
    canMove: can(actor, "project_settings", { projectId }),
  };
}

export async function branchHistory(actor: Actor, projectId: string, branchId: string) {
  assertCan(actor, "status", { projectId });
  const branch = await prisma().branch.findFirst({
    where: { id: branchId, projectId },
    select: {
      id: true,
      name: true,
      stage: true,
      deletedAt: true,
      lastSeenSha: true,
      pullRequestUrl: true,
      pullRequestNumber: true,
    },
  });
  if (!branch) throw new AppError("not_found", "No such branch");
  assertCan(actor, "history", { projectId, stage: branch.stage });
  const rows = await prisma().build.findMany({
    where: { branchId },
    orderBy: { createdAt: "desc" },
    take: 100,
    select: buildSelect,
  });
  const builds: BuildRow[] = rows.map((row) => ({ ...row, gate: gateView(row.gate) }));
  return { branch, builds };
}
