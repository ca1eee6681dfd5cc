// Which of a build's log files exist and how large they are, for callers allowed to read logs.
import { stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { type Actor, buildLogFiles, buildLogPath, can, canReadBuildLog, type Stage } from "@gantry/core";

export async function buildLogSizes(
  actor: Actor,
  build: { id: string; projectId: string; stage: Stage },
): Promise<{ file: (typeof buildLogFiles)[number]; bytes: number }[]> {
  if (!can(actor, "logs", { projectId: build.projectId, stage: build.stage })) return [];
  // One lookup for the folder: every log file of a build sits beside the others.
  const folder = dirname(await buildLogPath(actor, build.id, buildLogFiles[0]));
  const sizes = await Promise.all(
    buildLogFiles
      .filter((file) => canReadBuildLog(actor, build, file))
      .map((file) =>
        stat(join(folder, file)).then(
          (s) => ({ file, bytes: s.size }),
          () => null,
        ),
      ),
  );
  return sizes.filter((s) => s !== null);
}
