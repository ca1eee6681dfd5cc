import { withDerivedDefaults } from "./defaults";
import { type Config, envSchema } from "./schema";

/** A wrong environment: its message names each offending variable on one line. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** Parses an environment; empty strings count as unset so `.env` files can leave blanks. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    const parts = result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`Invalid environment: ${parts.join("; ")}`);
  }
  return withDerivedDefaults(result.data);
}

let cached: Config | undefined;

/** The process's configuration, parsed once. The only reader of process.env in Gantry. */
export function config(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}

/** Tests and tools that set variables after start-up re-read them through this. */
export function resetConfigForTests(): void {
  cached = undefined;
}
