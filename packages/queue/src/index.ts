export { type Answer, askWorker } from "./ask";
export * from "./catalog";
export {
  type ConnectionRole,
  type RedisConnectionOptions,
  reconnectDelay,
  redisConnectionOptions,
} from "./connection";
export {
  closeDefaultQueueContext,
  createQueueContext,
  defaultQueueContext,
  type QueueContext,
  type QueueContextOptions,
} from "./context";
export { type QueueDepth, queueDepths } from "./depth";
export {
  diagnosticsQueue,
  type EnqueuedJob,
  type EnqueueOptions,
  enqueue,
  enqueueDiagnostics,
} from "./enqueue";
export {
  type EngineReport,
  engineReport,
  type HeartbeatInfo,
  heartbeatInfo,
  heartbeatTtlMs,
  readHeartbeats,
  removeHeartbeat,
  type WorkerHeartbeat,
  writeHeartbeat,
} from "./heartbeat";
export { assertJobId, InvalidJobIdError } from "./job-id";
export { getJobView, type JobView } from "./job-view";
export { branchLockName, type HeldLock, lockKey, tryLock, type WaitLockOptions, waitLock } from "./lock";
export { pingRedis, RedisUnavailableError } from "./ping";
export { type QueueName, queueNames } from "./queue-names";
export { type Repeat, type ScheduleOptions, scheduleJob } from "./schedule";
