// "The build serving a branch": the newest build that was put in front of users and whose
// resources are still there. Every reader asks here instead of spelling the rule again.
import type { PrismaClient } from "@gantry/db";

export function servingBuild(db: PrismaClient, branchId: string) {
  return db.build.findFirst({
    where: { branchId, servingAt: { not: null }, cleanedAt: null },
    orderBy: { servingAt: "desc" },
    select: { id: true, commitSha: true, commitMessage: true, commitAuthor: true, odooRevision: true },
  });
}
