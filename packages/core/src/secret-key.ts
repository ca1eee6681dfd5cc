import { config } from "@gantry/config";
import { AppError } from "./errors";

/** The key of secrets at rest (GANTRY_SECRET); `what` says what cannot be kept without it. */
export function secretKey(what: string): string {
  const value = config().GANTRY_SECRET;
  if (!value) throw new AppError("unavailable", `GANTRY_SECRET is not set: ${what} cannot be kept`);
  return value;
}
