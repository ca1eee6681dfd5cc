// The build an editor request is about, after the access check. Reading and writing take the
// shell's right of the build's stage (what one can do in a terminal, one can do in the editor);
// production's checkout is read-only, as on Odoo.sh: its code changes through pushes only.
import { join, resolve } from "node:path";
import { config } from "@gantry/config";
import { prisma } from "@gantry/db";
import { type Actor, assertCan } from "../access";
import { AppError } from "../errors";

export type EditorMode = "read" | "write";

export interface EditorBuild {
  id: string;
  projectId: string;
  branchId: string;
  branchName: string;
  stage: "PRODUCTION" | "STAGING" | "DEVELOPMENT";
  commitSha: string;
  /** The build's work tree on this host. */
  checkout: string;
}

/** Where a build's work tree is (the worker clones it there and mounts it into Odoo). */
export function checkoutOf(buildId: string): string {
  return join(resolve(config().GANTRY_DATA_DIR), "builds", buildId, "src");
}

export function editorWritable(stage: string): boolean {
  return stage !== "PRODUCTION";
}

export async function editorBuild(actor: Actor, buildId: string, mode: EditorMode): Promise<EditorBuild> {
  const build = await prisma().build.findUnique({
    where: { id: buildId },
    select: {
      id: true,
      projectId: true,
      branchId: true,
      stage: true,
      status: true,
      commitSha: true,
      cleanedAt: true,
      branch: { select: { name: true } },
    },
  });
  if (!build) throw new AppError("not_found", "build not found");
  assertCan(actor, "shell", { projectId: build.projectId, stage: build.stage });
  if (mode === "write" && !editorWritable(build.stage)) {
    throw new AppError("forbidden", "production checkouts are read-only: change production's code by a push");
  }
  if (build.cleanedAt) throw new AppError("conflict", "the build was cleaned up: its checkout is gone");
  // Until the build has fetched its code and ended, its work tree is the worker's.
  if (build.status !== "DONE" && build.status !== "CANCELLED") {
    throw new AppError("conflict", "the build has not ended: its checkout is not ready");
  }
  return {
    id: build.id,
    projectId: build.projectId,
    branchId: build.branchId,
    branchName: build.branch.name,
    stage: build.stage,
    commitSha: build.commitSha,
    checkout: checkoutOf(build.id),
  };
}
