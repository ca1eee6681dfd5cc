export { defaultCheckTimeoutMs, type RunChecksOptions, runChecks } from "./aggregate";
export { type Cached, singleFlightCache } from "./cache";
export { publicHealth } from "./public";
export { cachedSystemHealth, type SystemHealth, systemHealth } from "./system";
export { TimeoutError, withTimeout } from "./timeout";
export * from "./types";
export { liveWorkers, type WorkerBeat } from "./workers";
