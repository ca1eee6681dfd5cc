// The PostgreSQL URLs carry generated passwords that only the scripts know (they keep them in
// GANTRY_DATA_DIR/secrets and export the three URLs), so the defaults here have none. A URL
// used without one would fail later with a driver's obscure SASL error; this names the variable.
import { ConfigError } from "./config";

export type DatabaseUrlName = "DATABASE_URL" | "BUILD_DATABASE_URL" | "BUILD_DEV_DATABASE_URL";

/** The URL itself, once it is known to carry a password. */
export function withPassword(name: DatabaseUrlName, value: string): string {
  if (new URL(value).password === "") {
    throw new ConfigError(
      `${name}: no password in the URL; start Gantry through ./scripts/start (it generates and exports one) or set it in .env`,
    );
  }
  return value;
}
