// Which Gantry this is, for names that several Gantry instances may meet on one shared database
// cluster (template databases): without it, one instance drops and rebuilds the other's
// template of the same name. Its own database's address identifies an instance; credentials
// are left out, so a changed password names the same instance.
import { createHash } from "node:crypto";
import { config } from "./config";

export function instanceId(): string {
  const url = new URL(config().DATABASE_URL);
  const address = `${url.hostname}:${url.port || "5432"}${url.pathname}`;
  return createHash("sha256").update(address).digest("hex").slice(0, 12);
}
