import { createLogger } from "@gantry/core";

/** The web process's logger: JSON lines on stdout, like the worker's. */
export const log = createLogger("web");
