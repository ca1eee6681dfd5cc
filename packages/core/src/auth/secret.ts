import { config } from "@gantry/config";
import { AppError } from "../errors";

/** The key that signs session cookies. The scripts generate GANTRY_SECRET when unset. */
export function authSecret(): string {
  const secret = config().GANTRY_SECRET;
  if (secret) return secret;
  if (config().NODE_ENV === "production") {
    throw new AppError("unavailable", "GANTRY_SECRET is not set: sessions cannot be signed");
  }
  // Development without the scripts: a fixed key, so that restarts keep sessions.
  return "gantry-development-secret-not-for-production-use";
}
