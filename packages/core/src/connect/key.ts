// The per-build key of one-click Connect: derived from GANTRY_SECRET and the build's id, so it
// is never stored and differs for every build (a build's key signs nothing another accepts).
// It reaches the build in its serving config file only (apps/worker/src/shared/serve.ts).
import { createHmac } from "node:crypto";
import { secretKey } from "../secret-key";

export function connectKeyOf(buildId: string): string {
  return createHmac("sha256", secretKey("connect keys"))
    .update(`gantry-connect:${buildId}`)
    .digest("base64url");
}
