// The logs of every build of a branch, for a search across them: a build's logs stay in its
// folder after the build is cleaned or replaced, so a branch's history is searchable. Only the
// stages and files the caller may read are listed (the logs right per stage, the shell's log
// for the project's Admins).
import { join, resolve } from "node:path";
import { config } from "@gantry/config";
import { prisma } from "@gantry/db";
import { type Actor, assertCan, can, stages } from "../access";
import { type BuildLogFile, buildLogFiles } from "../builds/phases";
import { canReadBuildLog } from "../builds/queries";
import { AppError } from "../errors";

export interface BranchLogSource {
  buildId: string;
  commitSha: string;
  createdAt: Date;
  files: { file: BuildLogFile; path: string }[];
}

/** The branch's newest `take` builds the caller may read logs of, newest first, with their log files' paths. */
export async function branchLogSources(
  actor: Actor,
  projectId: string,
  branchId: string,
  options: { take: number; file?: BuildLogFile },
): Promise<BranchLogSource[]> {
  const readable = stages.filter((stage) => can(actor, "logs", { projectId, stage }));
  if (readable.length === 0) assertCan(actor, "logs", { projectId, stage: "DEVELOPMENT" });
  const branch = await prisma().branch.findFirst({
    where: { id: branchId, projectId },
    select: { id: true },
  });
  if (!branch) throw new AppError("not_found", "branch not found");
  const builds = await prisma().build.findMany({
    where: { branchId, projectId, stage: { in: [...readable] } },
    orderBy: { createdAt: "desc" },
    take: options.take,
    select: { id: true, projectId: true, stage: true, commitSha: true, createdAt: true },
  });
  const root = resolve(config().GANTRY_DATA_DIR);
  return builds.map((build) => ({
    buildId: build.id,
    commitSha: build.commitSha,
    createdAt: build.createdAt,
    files: buildLogFiles
      .filter((file) => (options.file ? file === options.file : true))
      .filter((file) => canReadBuildLog(actor, build, file))
      .map((file) => ({ file, path: join(root, "builds", build.id, "logs", file) })),
  }));
}
