import { bestEffort, ConfigError, config } from "@gantry/config";
import { createLogger } from "@gantry/core";
import { prisma } from "@gantry/db";
import { createQueueContext } from "@gantry/queue";
import { runtimeFromConfig } from "@gantry/runtime";
import { startMailCatcher } from "./mails/catcher";
import { startShellServer } from "./shell/server";
import { startSshServer } from "./shell/ssh-server";
import { startWorker } from "./start-worker";

/** The worker process: `node apps/worker/dist/main.js` (compiled; `tsx` in development). Exits 0 after a graceful stop, 2 on a bad environment. */
async function main(): Promise<void> {
  try {
    config();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`gantry worker: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger("worker");
  // Signals are heard from the start: one that arrives while the worker is still starting (it
  // may already be taking jobs) stops it as soon as it is up, instead of killing the process.
  let worker: Awaited<ReturnType<typeof startWorker>> | null = null;
  let catcher: Awaited<ReturnType<typeof startMailCatcher>> | null = null;
  let shell: Awaited<ReturnType<typeof startShellServer>> | null = null;
  let ssh: Awaited<ReturnType<typeof startSshServer>> | null = null;
  let signalled = false;
  const stop = async (running: NonNullable<typeof worker>) => {
    await running.stop();
    await bestEffort("closing the mail catcher", async () => catcher?.close(), { logger });
    await bestEffort("closing the shell server", async () => shell?.close(), { logger });
    await bestEffort("closing the SSH server", async () => ssh?.close(), { logger });
    // The process exits next: a connection that does not close goes with it.
    await bestEffort("closing the database connection", prisma().$disconnect(), { logger });
    process.exit(0);
  };
  const shutdown = async (signal: NodeJS.Signals) => {
    if (signalled) return;
    signalled = true;
    logger.info({ signal }, "shutdown requested");
    if (worker) await stop(worker);
  };
  process.on("SIGTERM", (signal) => void shutdown(signal));
  process.on("SIGINT", (signal) => void shutdown(signal));
  worker = await startWorker({ logger });
  // The catcher lives with the worker, on the builds' host. A second worker on the same host
  // finds the port taken and leaves the catching to the first.
  const [host = "0.0.0.0", port = "2525"] = config().MAIL_CATCHER_SMTP.split(":");
  catcher = await startMailCatcher({ host, port: Number(port), logger }).then(
    (running) => {
      logger.info({ host, port: running.port }, "mail catcher listening");
      return running;
    },
    (error: unknown) => {
      logger.warn({ err: error, host, port }, "the mail catcher could not listen; mail is not caught here");
      return null;
    },
  );
  shell = await listenShell(logger, "web", config().SHELL_LISTEN);
  ssh = await listenShell(logger, "ssh", config().SSH_LISTEN);
  if (signalled) await stop(worker);
}

/**
 * The Shell tab's WebSocket server and the SSH server, beside the Docker Engine like the worker.
 * A second worker on the same host finds the port taken and leaves the shells to the first.
 */
async function listenShell(logger: ReturnType<typeof createLogger>, kind: "web" | "ssh", listen: string) {
  const host = listen.slice(0, listen.lastIndexOf(":"));
  const port = Number(listen.slice(listen.lastIndexOf(":") + 1));
  const queue = createQueueContext({ redisUrl: config().REDIS_URL, prefix: config().REDIS_PREFIX });
  const start = kind === "web" ? startShellServer : startSshServer;
  return start({
    host,
    port,
    runtime: runtimeFromConfig(),
    queue,
    logger,
  }).then(
    (running) => {
      logger.info({ host, port: running.port }, `${kind === "web" ? "shell" : "SSH"} server listening`);
      return running;
    },
    async (error: unknown) => {
      logger.warn(
        { err: error, host, port },
        `the ${kind === "web" ? "shell" : "SSH"} server could not listen; no ${kind} shells from this worker`,
      );
      await queue.close();
      return null;
    },
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `gantry worker: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
