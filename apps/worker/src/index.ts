export type { HandlerRegistry, JobContext, JobHandler, WorkerServices } from "./handler";
export { JobTimeoutError } from "./processor";
export { handlers } from "./registry";
export { type RunningWorker, type StartWorkerOptions, type StopResult, startWorker } from "./start-worker";
