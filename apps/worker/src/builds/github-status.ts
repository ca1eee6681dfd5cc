// The build's state on GitHub (commit status, and a deployment for staging and production):
// sent when the build starts running and when it ends. GitHub being unreachable is logged and
// never changes the build's outcome.
import { reportBuildStatus } from "@gantry/core";

interface Logger {
  debug(object: object, message: string): void;
  warn(object: object, message: string): void;
}

export async function reportToGithub(buildId: string, logger: Logger): Promise<void> {
  try {
    const report = await reportBuildStatus(buildId);
    // null: the project has no GitHub connection, or the call failed (already logged).
    if (report === null) logger.debug({ buildId }, "build state not reported to GitHub");
  } catch (error) {
    logger.warn({ buildId, err: error }, "could not report the build to GitHub");
  }
}
