import { type DestinationStream, type Logger, pino } from "pino";
import { config } from "./config";

export type { Logger } from "pino";

export interface LoggerOptions {
  level?: string;
  /** Where JSON lines go; standard output by default. */
  destination?: DestinationStream;
}

/**
 * The platform's logger: one JSON object per line, `name` says which part of Gantry wrote it.
 * Callers add ids with `logger.child({ jobId, buildId })`.
 */
export function createLogger(name: string, options: LoggerOptions = {}): Logger {
  const settings = {
    name,
    level: options.level ?? config().LOG_LEVEL,
    timestamp: pino.stdTimeFunctions.isoTime,
    // Secrets sometimes ride along in error objects and option bags. ioredis's errors carry
    // the command they answer, and a refused AUTH or HELLO command holds Redis's password.
    redact: {
      paths: ["password", "*.password", "secret", "*.secret", "token", "*.token", "*.command.args"],
      censor: "[redacted]",
    },
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}
