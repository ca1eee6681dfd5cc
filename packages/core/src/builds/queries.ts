// Use-cases behind the builds API and pages: list, one build with its phases, rebuild, cancel,
// and where a build's log files are. Every one asks the access policy first.
import { join, resolve } from "node:path";
import { config } from "@gantry/config";
import { prisma } from "@gantry/db";
import { type Actor, assertCan, can, roleOf, type Stage, stages } from "../access";
import { AppError } from "../errors";
import { gateSelect, gateView } from "../gates/view";
import { enqueueBuild } from "./enqueue";
import { adminOnlyLogFiles, type BuildLogFile, isBuildLogFile } from "./phases";
import { requestCancel } from "./state";

const buildFields = {
  id: true,
  projectId: true,
  branchId: true,
  stage: true,
  commitSha: true,
  commitMessage: true,
  commitAuthor: true,
  status: true,
  result: true,
  errorSummary: true,
  url: true,
  trigger: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
  servingAt: true,
  cleanedAt: true,
  sleepingSince: true,
  lastRequestAt: true,
  servingNode: true,
  nodeLostAt: true,
  branch: { select: { name: true } },
  // What a build held by the deploy gates waits for (or what released it).
  gate: gateSelect,
} as const;

export async function listBuilds(
  actor: Actor,
  projectId: string,
  options: { branchId?: string; take?: number } = {},
) {
  // "history" is a per-stage right: list the stages the actor may see, refuse when none.
  const visible = stages.filter((stage) => can(actor, "history", { projectId, stage }));
  if (visible.length === 0) assertCan(actor, "history", { projectId, stage: "DEVELOPMENT" });
  const rows = await prisma().build.findMany({
    where: {
      projectId,
      stage: { in: [...visible] },
      ...(options.branchId ? { branchId: options.branchId } : {}),
    },
    orderBy: { createdAt: "desc" },
    take: Math.min(Math.max(options.take ?? 50, 1), 200),
    select: buildFields,
  });
  return rows.map((row) => ({ ...row, gate: gateView(row.gate) }));
}

async function buildFor(actor: Actor, buildId: string, feature: "history" | "logs" | "connect" | "deploy") {
  const build = await prisma().build.findUnique({
    where: { id: buildId },
    select: { ...buildFields, phases: { orderBy: { position: "asc" } } },
  });
  if (!build) throw new AppError("not_found", "build not found");
  assertCan(actor, feature, { projectId: build.projectId, stage: build.stage });
  return build;
}

export async function getBuild(actor: Actor, buildId: string) {
  const build = await buildFor(actor, buildId, "history");
  return { ...build, gate: gateView(build.gate) };
}

/** A new build of the same commit (not while the branch's build is still running). */
export async function rebuild(actor: Actor, buildId: string) {
  const build = await buildFor(actor, buildId, "deploy");
  if (build.status === "WAITING" || build.status === "QUEUED" || build.status === "RUNNING") {
    throw new AppError("conflict", "the build is still running");
  }
  return enqueueBuild({
    projectId: build.projectId,
    branchId: build.branchId,
    stage: build.stage,
    commit: { sha: build.commitSha, message: build.commitMessage, author: build.commitAuthor },
    trigger: "rebuild",
  });
}

export async function cancelBuild(actor: Actor, buildId: string) {
  await buildFor(actor, buildId, "deploy");
  return { outcome: await requestCancel(buildId) };
}

/** The logs right of the build's stage; the shell's log (what people typed) needs the project's Admin too. */
export function canReadBuildLog(
  actor: Actor,
  build: { projectId: string; stage: Stage },
  file: BuildLogFile,
): boolean {
  if (!can(actor, "logs", { projectId: build.projectId, stage: build.stage })) return false;
  return !adminOnlyLogFiles.includes(file) || roleOf(actor, build.projectId) === "ADMIN";
}

/** The path of one of a build's log files, after the logs permission check. */
export async function buildLogPath(actor: Actor, buildId: string, file: string): Promise<string> {
  if (!isBuildLogFile(file)) throw new AppError("not_found", `no log named ${JSON.stringify(file)}`);
  const build = await buildFor(actor, buildId, "logs");
  if (!canReadBuildLog(actor, build, file)) {
    throw new AppError("forbidden", `Only the project's Admins read ${file}`, { details: { file } });
  }
  return join(resolve(config().GANTRY_DATA_DIR), "builds", buildId, "logs", file satisfies BuildLogFile);
}
