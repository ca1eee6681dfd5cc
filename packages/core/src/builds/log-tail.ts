// When a followed build log is complete: a phase's log once the build ended; what a serving
// build keeps writing (odoo.log, its requests, slow statements, shell sessions) only once it
// stops serving, so that tail has no end, and no time limit, while it serves.
import { type BuildLogFile, servingLogFiles } from "./phases";
import { isServing } from "./serving";

export function buildLogComplete(
  build: { status: string; servingAt: Date | null; cleanedAt: Date | null },
  file: BuildLogFile,
): boolean {
  if (build.status === "CANCELLED") return true;
  if (build.status !== "DONE") return false;
  return !servingLogFiles.includes(file) || !isServing(build);
}
