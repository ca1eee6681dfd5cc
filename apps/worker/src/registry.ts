import type { HandlerRegistry } from "./handler";
import { runBuild } from "./jobs/build";
import { diagnostics } from "./jobs/diagnostics";
import { probeDelay } from "./jobs/probe-delay";

/** Job name -> handler. New jobs (builds, backups) add their file under jobs/ and a line here. */
export const handlers: HandlerRegistry = {
  "builds.run": runBuild,
  "maintenance.diagnostics": diagnostics,
  "maintenance.probe-delay": probeDelay,
};
