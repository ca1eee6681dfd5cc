import { bestEffort, ConfigError, config } from "@gantry/config";
import { createLogger } from "@gantry/core";
import { prisma } from "@gantry/db";
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

  let signalled = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (signalled) return;
    signalled = true;
    logger.info({ signal }, "shutdown requested");
    await worker.stop();
    // The process exits next: a connection that does not close goes with it.
    await bestEffort("closing the database connection", prisma().$disconnect(), { logger });
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
