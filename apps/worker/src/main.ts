import { ConfigError, config } from "@gantry/config";
import { createLogger } from "@gantry/core";
import { prisma } from "@gantry/db";
import { startMailCatcher } from "./mails/catcher";
import { startWorker } from "./start-worker";

/** The worker process: `tsx apps/worker/src/main.ts`. Exits 0 after a graceful stop, 2 on a bad environment. */
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
  const worker = await startWorker({ logger });
  // The catcher lives with the worker, on the builds' host. A second worker on the same host
  // finds the port taken and leaves the catching to the first.
  const [host = "127.0.0.1", port = "2525"] = config().MAIL_CATCHER_SMTP.split(":");
  const catcher = await startMailCatcher({ host, port: Number(port), logger }).then(
    (running) => {
      logger.info({ host, port: running.port }, "mail catcher listening");
      return running;
    },
    (error: unknown) => {
      logger.warn({ err: error, host, port }, "the mail catcher could not listen; mail is not caught here");
      return null;
    },
  );

  let signalled = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (signalled) return;
    signalled = true;
    logger.info({ signal }, "shutdown requested");
    await worker.stop();
    await catcher?.close();
    await prisma()
      .$disconnect()
      .catch(() => {});
    process.exit(0);
  };
  process.on("SIGTERM", (signal) => void shutdown(signal));
  process.on("SIGINT", (signal) => void shutdown(signal));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `gantry worker: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
