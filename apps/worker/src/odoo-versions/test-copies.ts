// The upgraded copy a rehearsal keeps for its branch's pushes lives until its test days end, a
// newer successful rehearsal of the branch replaces it, or the branch stops being staging. Then
// its database, role and filestore go; the attempt keeps its report and log.
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { bestEffort } from "@gantry/config";
import { dbServerForStage, upgradeDir } from "@gantry/core";
import type { PrismaClient } from "@gantry/db";
import { dropDatabase, dropRole } from "@gantry/postgres";
import { filestoreOf } from "../shared/workspace";

export async function dropEndedTestCopies(db: PrismaClient, now = new Date()): Promise<string[]> {
  const kept = await db.upgradeAttempt.findMany({
    where: { kind: "REHEARSAL", status: "SUCCEEDED", copyDatabase: { not: null } },
    orderBy: { finishedAt: "desc" },
    select: {
      id: true,
      projectId: true,
      branchId: true,
      copyDatabase: true,
      testModeUntil: true,
      branch: { select: { stage: true, deletedAt: true } },
    },
  });
  const newest = new Set<string>();
  const dropped: string[] = [];
  for (const attempt of kept) {
    const isNewest = !newest.has(attempt.branchId);
    newest.add(attempt.branchId);
    const live =
      isNewest &&
      attempt.branch.stage === "STAGING" &&
      !attempt.branch.deletedAt &&
      (attempt.testModeUntil?.getTime() ?? 0) > now.getTime();
    if (live) continue;
    const database = attempt.copyDatabase!;
    const server = await dbServerForStage(attempt.projectId, "STAGING");
    await dropDatabase(server, database);
    await bestEffort(`dropping role ${database}`, dropRole(server, database));
    await rm(filestoreOf(join(upgradeDir(attempt.id), "data"), database), { recursive: true, force: true });
    // Test mode ends with the copy (a newer rehearsal, or the branch leaving staging, ends it early).
    const ended = attempt.testModeUntil && attempt.testModeUntil < now ? attempt.testModeUntil : now;
    await db.upgradeAttempt.update({
      where: { id: attempt.id },
      data: { copyDatabase: null, testModeUntil: ended },
    });
    dropped.push(attempt.id);
  }
  return dropped;
}
