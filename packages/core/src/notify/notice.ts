// What a delivery says, resolved once when the event is dispatched and kept with the delivery:
// every retry sends the same message, and the delivery log shows what was sent. Plain text
// only; each channel's renderer (format.ts) escapes it for its own markup.
import type { NotifyEventType } from "./events";

export interface NoticeView {
  event: NotifyEventType;
  /** One line: what happened, where. */
  title: string;
  /** Short facts, one per line (branch, stage, build, commit, reason). */
  lines: string[];
  /** The page to open in Gantry (PUBLIC_URL), when there is one. */
  link: string | null;
  /** A mail's whole text when the caller wrote one (an upgrade's report and log end); mail only. */
  details?: string;
  /** Machine-readable facts for the generic webhook: ids and names, never a secret. */
  data: Record<string, string | number | boolean | null>;
}
