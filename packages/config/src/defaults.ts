// Defaults that depend on GANTRY_DATA_DIR, the same the scripts (scripts/lib/common.sh) give
// the services they start, so that a process started without them finds those services.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Config, ParsedEnv } from "./schema";

/** The password the scripts generated for `name` (GANTRY_DATA_DIR/secrets/NAME), if any. */
function generatedSecret(dataDir: string, name: string): string | undefined {
  try {
    return readFileSync(join(dataDir, "secrets", name), "utf8").trim() || undefined;
  } catch {
    return undefined;
  }
}

export function withDerivedDefaults(env: ParsedEnv): Config {
  const dataDir = resolve(env.GANTRY_DATA_DIR);
  const redisPassword = env.REDIS_URL === undefined ? generatedSecret(dataDir, "redis") : undefined;
  return {
    ...env,
    REDIS_URL:
      env.REDIS_URL ??
      `redis://${redisPassword ? `:${encodeURIComponent(redisPassword)}@` : ""}127.0.0.1:6379/0`,
    CADDY_ADMIN_URL: env.CADDY_ADMIN_URL ?? `unix://${join(dataDir, "caddy", "admin.sock")}`,
  };
}
