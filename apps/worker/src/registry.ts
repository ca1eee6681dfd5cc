import { UnrecoverableError } from "bullmq";
import type { HandlerRegistry } from "./handler";
import { diagnostics } from "./jobs/diagnostics";
import { probeDelay } from "./jobs/probe-delay";

/** Job name -> handler. New jobs (builds, backups) add their file under jobs/ and a line here. */
export const handlers: HandlerRegistry = {
  "maintenance.diagnostics": diagnostics,
  "maintenance.probe-delay": probeDelay,
  // Placeholder until the build job's handler is registered here: the Build row stays queued.
  "builds.run": async () => {
    throw new UnrecoverableError("the build job is not available yet");
  },
};
