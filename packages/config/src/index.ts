import { delimiter } from "node:path";

export { ConfigError, config, parseConfig, resetConfigForTests } from "./config";
export { type DatabaseUrlName, withPassword } from "./database-urls";

export type { Config } from "./schema";
export { envSchema } from "./schema";

/**
 * The environment a child process inherits (git, pg_dump, psql, cp): the parent's as it is,
 * with `overrides` on top. Passed through whole, never read for settings: those come from config().
 */
export function inheritedEnv(overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  return { ...process.env, ...overrides };
}

/** The directories of PATH, where executables are looked up (pg_dump, psql). */
export function executableDirs(): string[] {
  return (process.env.PATH ?? "").split(delimiter).filter(Boolean);
}

export { type BestEffortOptions, bestEffort } from "./best-effort";
export { ifExists } from "./if-exists";
export { instanceId } from "./instance";
export { createLogger, type Logger, type LoggerOptions } from "./logger";
export { shellSocketOrigin } from "./shell-origin";
