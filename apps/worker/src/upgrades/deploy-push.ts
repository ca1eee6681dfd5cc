// After a production upgrade the database and server are on the new series, but the serving
// build row still names the commit it was built from. When the branch has moved on (the upgrade
// ran "on the next push", or a push came meanwhile), an ordinary production build of the
// branch's commit follows: it takes the upgraded database over and its row tells the truth
// about what serves. With nothing new pushed, nothing is built.
import { appendFile } from "node:fs/promises";
import { enqueueBuild, servingBuild, upgradeLogFile } from "@gantry/core";
import type { JobContext } from "../handler";

export async function deployPushedCommit(context: JobContext, attemptId: string): Promise<string | null> {
  const { db, queue } = context.services;
  const attempt = await db().upgradeAttempt.findUniqueOrThrow({
    where: { id: attemptId },
    select: { projectId: true, branchId: true, branch: { select: { lastSeenSha: true, stage: true } } },
  });
  const head = attempt.branch.lastSeenSha;
  const serving = await servingBuild(db(), attempt.branchId);
  if (!head || !serving || head === serving.commitSha || attempt.branch.stage !== "PRODUCTION") return null;
  const build = await enqueueBuild(
    {
      projectId: attempt.projectId,
      branchId: attempt.branchId,
      stage: "PRODUCTION",
      commit: { sha: head },
      trigger: "upgrade",
    },
    queue,
  );
  await appendFile(
    upgradeLogFile(attemptId),
    `build ${build.id} queued: it deploys ${head.slice(0, 12)} on the upgraded database\n`,
  );
  return build.id;
}
