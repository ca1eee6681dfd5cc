import { createHash } from "node:crypto";
import { publicUrl } from "../public-url";

/** How long an invitation link stays usable. */
export const invitationDays = 7;

/** Only this hash is stored: a database leak does not hand out working links. */
export function hashInvitationToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** The page an invited person opens; built from PUBLIC_URL so it works behind the proxy. */
export function invitationLink(token: string): string {
  return publicUrl(`/invite/${encodeURIComponent(token)}`);
}
