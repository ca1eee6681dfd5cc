// "The build serving a branch": the newest build that was put in front of users and whose
// resources are still there. Every reader asks here instead of spelling the rule again:
// servingBuild for the usual row, servingFilter and servingOrder inside queries that need
// more (their own fields, stage or database conditions), isServing for a row already read.
import type { Prisma, PrismaClient } from "@gantry/db";

/** The where-clause of a build that serves. */
export const servingFilter = {
  servingAt: { not: null },
  cleanedAt: null,
} as const satisfies Prisma.BuildWhereInput;

/** Newest serving build first. */
export const servingOrder = { servingAt: "desc" } as const satisfies Prisma.BuildOrderByWithRelationInput;

export function isServing(build: { servingAt: Date | null; cleanedAt: Date | null }): boolean {
  return build.servingAt !== null && build.cleanedAt === null;
}

export function servingBuild(db: PrismaClient, branchId: string) {
  return db.build.findFirst({
    where: { branchId, ...servingFilter },
    orderBy: servingOrder,
    select: { id: true, commitSha: true, commitMessage: true, commitAuthor: true, odooRevision: true },
  });
}
