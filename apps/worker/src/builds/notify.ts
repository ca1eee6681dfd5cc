// A build's end told to the project: "failed" for a red build, "fixed" for a green one after
// a red one of the same branch (the branch's previous ended build decides, cancelled ones
// aside). Each is switched per stage on every channel.
import type { NotifyEvent } from "@gantry/core";
import type { JobContext } from "../handler";
import { tell } from "../notifications/tell";

export async function notifyBuildEnded(buildId: string, context: JobContext): Promise<void> {
  const db = context.services.db();
  const build = await db.build.findUnique({
    where: { id: buildId },
    select: { projectId: true, branchId: true, status: true, result: true, createdAt: true },
  });
  if (build?.status !== "DONE" || !build.result) return;
  let event: NotifyEvent | null = null;
  if (build.result === "FAILED") event = { type: "build.failed", buildId };
  else {
    const previous = await db.build.findFirst({
      where: {
        branchId: build.branchId,
        id: { not: buildId },
        status: "DONE",
        result: { not: null },
        createdAt: { lt: build.createdAt },
      },
      orderBy: { createdAt: "desc" },
      select: { result: true },
    });
    if (previous?.result === "FAILED") event = { type: "build.fixed", buildId };
  }
  if (event) await tell(context, build.projectId, event);
}
