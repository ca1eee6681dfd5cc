import { hostname } from "node:os";
import { bestEffort, config } from "@gantry/config";
import { createLogger, httpsOn, type Logger, routeDashboard } from "@gantry/core";
import { prisma } from "@gantry/db";
import { activeQueues, createQueueContext, type QueueName } from "@gantry/queue";
import { runtimeFromConfig } from "@gantry/runtime";
import { Worker } from "bullmq";
import { prepareBackups } from "./backups/startup";
import { scheduleDeployGates } from "./builds/deploy-gates";
import { followMoves } from "./builds/follow-moves";
import { watchLostNodes } from "./builds/lost-nodes";
import { reconcileBuilds } from "./builds/reconcile";
import { scheduleDomainRecheck } from "./domains/schedule";
import { engineReportOf } from "./engine-report";
import { scheduleErrorScan } from "./errors/schedule";
import type { HandlerRegistry, WorkerServices } from "./handler";
import { startHeartbeat } from "./heartbeat-loop";
import { scheduleMonitor } from "./monitor/schedule";
import { scheduleOdooVersions } from "./odoo-versions/schedule";
import { createProcessor } from "./processor";
import { handlers as defaultHandlers } from "./registry";
import { scheduleSelfBackup } from "./self-backup/schedule";
import { scheduleIdleSleep } from "./sleep/schedule";
import { reconcileUpgrades } from "./upgrades/interrupted";
import { notifyUpgradeEnded } from "./upgrades/notify";
import { scheduleUptimeProbe } from "./uptime/schedule";
import { newWorkerId } from "./worker-id";

// How often a worker looks for jobs whose worker died (their lock, 30 s, lapsed). BullMQ's 30 s
// default made a killed worker's job wait up to a minute for another worker; 10 s keeps that
// under 40 s for the cost of one small Redis script per queue every 10 s.
const STALLED_CHECK_MS = 10_000;

/** Everything defaults to the configuration; tests pass their own Redis prefix and timings. */
export interface StartWorkerOptions {
  redisUrl?: string;
  prefix?: string;
  concurrency?: number;
  heartbeatMs?: number;
  shutdownTimeoutMs?: number;
  dockerHost?: string;
  workerId?: string;
  logger?: Logger;
  queues?: QueueName[];
  handlers?: HandlerRegistry;
  /** BullMQ's job lock: a job whose worker vanished goes back to the queue after this long. */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
}

export interface StopResult {
  /** False when in-flight jobs outlived the shutdown timeout and were left to stalled recovery. */
  drained: boolean;
  /** Jobs still running when the worker stopped waiting for them. */
  abandoned: string[];
}

export interface RunningWorker {
  id: string;
  queues: QueueName[];
  /** Stops taking jobs, waits for in-flight ones up to the shutdown timeout, closes connections. */
  stop(): Promise<StopResult>;
}

/** Starts a BullMQ worker on every queue of the catalog; resolves once all listen. */
export async function startWorker(options: StartWorkerOptions = {}): Promise<RunningWorker> {
  const settings = {
    redisUrl: options.redisUrl ?? config().REDIS_URL,
    prefix: options.prefix ?? config().REDIS_PREFIX,
    concurrency: options.concurrency ?? config().WORKER_CONCURRENCY,
    heartbeatMs: options.heartbeatMs ?? config().WORKER_HEARTBEAT_MS,
    shutdownTimeoutMs: options.shutdownTimeoutMs ?? config().WORKER_SHUTDOWN_TIMEOUT_MS,
    dockerHost: options.dockerHost ?? config().DOCKER_HOST,
  };
  const workerId = options.workerId ?? newWorkerId();
  const logger = (options.logger ?? createLogger("worker")).child({ workerId });
  const queues = options.queues ?? activeQueues();
  const queueContext = createQueueContext({
    redisUrl: settings.redisUrl,
    prefix: settings.prefix,
    role: "worker",
  });
  const services: WorkerServices = {
    runtime: runtimeFromConfig(settings.dockerHost),
    queue: queueContext,
    db: prisma,
  };
  const active = new Set<string>();
  let cutOff = false;

  // Before taking jobs: what a dead worker left behind is failed or removed, never left stuck.
  if (queues.includes("builds")) {
    try {
      const report = await reconcileBuilds({ runtime: services.runtime, queue: queueContext, workerId });
      logger.info(report, "builds reconciled");
    } catch (error) {
      logger.error({ err: error }, "build reconciliation failed");
    }
  }

  // Routes follow serving tasks the cluster moves by itself, and builds on a node the cluster
  // lost are marked (neither ever fires on one host).
  const stopFollowingMoves = queues.includes("builds")
    ? followMoves(services.runtime, queueContext, logger)
    : async () => {};
  const stopWatchingNodes = queues.includes("builds")
    ? watchLostNodes(services.runtime, queueContext, logger)
    : async () => {};

  if (queues.includes("backups")) await prepareBackups(services, workerId, logger);
  if (queues.includes("migrations")) {
    try {
      const ended = await reconcileUpgrades(services, workerId);
      if (ended.length > 0) logger.warn({ ended }, "interrupted upgrade attempts ended");
      for (const attemptId of ended) await notifyUpgradeEnded({ services, logger }, attemptId);
    } catch (error) {
      logger.error({ err: error }, "upgrade reconciliation failed");
    }
  }

  const workers = queues.map((queue) => {
    const worker = new Worker(
      queue,
      createProcessor({ queue, workerId, handlers: options.handlers ?? defaultHandlers, services, logger }),
      {
        connection: queueContext.connection,
        prefix: settings.prefix,
        concurrency: settings.concurrency,
        name: workerId,
        autorun: false,
        // Only when given: BullMQ takes an explicit undefined as a value.
        ...(options.lockDurationMs === undefined ? {} : { lockDuration: options.lockDurationMs }),
        stalledInterval: options.stalledIntervalMs ?? STALLED_CHECK_MS,
      },
    );
    worker.on("active", (job) => active.add(`${queue}/${job.id}`));
    worker.on("completed", (job) => active.delete(`${queue}/${job.id}`));
    worker.on("failed", (job) => {
      if (job) active.delete(`${queue}/${job.id}`);
    });
    // Connection errors during a Redis restart arrive here; BullMQ reconnects by itself.
    worker.on("error", (error) => {
      // After an abandoned shutdown the cut connections keep failing by design: not news.
      if (!cutOff) logger.warn({ err: error, queue }, "queue connection error");
    });
    return worker;
  });

  for (const worker of workers) {
    worker
      .run()
      .catch((error: unknown) => logger.error({ err: error, queue: worker.name }, "worker loop stopped"));
  }
  await Promise.all(workers.map((worker) => worker.waitUntilReady()));
  if (queues.includes("maintenance")) {
    await scheduleIdleSleep(queueContext, logger).catch((error: unknown) =>
      logger.error({ err: error }, "the idle sleep schedule could not be set"),
    );
    await scheduleOdooVersions(queueContext).catch((error: unknown) =>
      logger.error({ err: error }, "the Odoo versions schedule could not be set"),
    );
    await scheduleMonitor(queueContext).catch((error: unknown) =>
      logger.error({ err: error }, "the Monitor's schedules could not be set"),
    );
    await scheduleErrorScan(queueContext).catch((error: unknown) =>
      logger.error({ err: error }, "the error scan's schedule could not be set"),
    );
    await scheduleUptimeProbe(queueContext).catch((error: unknown) =>
      logger.error({ err: error }, "the uptime probe's schedule could not be set"),
    );
    await scheduleDeployGates(queueContext).catch((error: unknown) =>
      logger.error({ err: error }, "the deploy gates' schedule could not be set"),
    );
    await scheduleSelfBackup(queueContext).catch((error: unknown) =>
      logger.error({ err: error }, "the schedule of Gantry's own backup could not be set"),
    );
    await scheduleDomainRecheck(queueContext).catch((error: unknown) =>
      logger.error({ err: error }, "the custom domains' recheck schedule could not be set"),
    );
    // The dashboard's own host in Caddy (HTTPS=acme): routed, its certificate obtained eagerly.
    if (httpsOn()) {
      await routeDashboard().catch((error: unknown) =>
        logger.error({ err: error }, "the dashboard's HTTPS route could not be set"),
      );
    }
  }

  const identity = {
    hostname: hostname(),
    pid: process.pid,
    queues,
    concurrency: settings.concurrency,
    startedAt: new Date().toISOString(),
  };
  const heartbeat = startHeartbeat(
    workerId,
    async () => ({ ...identity, engine: await engineReportOf(services.runtime) }),
    settings.heartbeatMs,
    queueContext,
    logger,
  );
  await heartbeat.first;
  logger.info({ queues, concurrency: settings.concurrency, prefix: settings.prefix }, "worker ready");

  let stopping: Promise<StopResult> | undefined;
  const stop = async (): Promise<StopResult> => {
    logger.info({ inFlight: [...active] }, "worker stopping");
    // Stop fetching everywhere first, so no queue picks up a job while another drains.
    await Promise.all(workers.map((worker) => worker.pause(true)));
    let timer: NodeJS.Timeout | undefined;
    const drained = await Promise.race([
      Promise.all(workers.map((worker) => worker.close())).then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), settings.shutdownTimeoutMs);
      }),
    ]);
    clearTimeout(timer);
    const abandoned = [...active];
    if (!drained) {
      // Cut the connections as a dying process would: lock renewal stops, the locks expire and
      // BullMQ's stalled check puts the jobs back in the queue for the next worker. (A second
      // close() would only wait on the first one, which still waits for the jobs.)
      logger.warn(
        { abandoned },
        "shutdown timeout reached; in-flight jobs return to the queue when their lock expires",
      );
      cutOff = true;
      // Shutting down past the timeout: a connection that does not close goes with the process.
      await Promise.all(
        workers.map((worker) => bestEffort("disconnecting a queue worker", worker.disconnect(), { logger })),
      );
    }
    await heartbeat.stop();
    await stopFollowingMoves();
    await stopWatchingNodes();
    await queueContext.close();
    logger.info({ drained }, "worker stopped");
    return { drained, abandoned: drained ? [] : abandoned };
  };

  return {
    id: workerId,
    queues,
    stop: () => {
      stopping ??= stop();
      return stopping;
    },
  };
}
