// What applying one webhook event did, as the delivery records it and GitHub is told.
import type { QueuedBuild } from "../builds/enqueue";

export interface EventOutcome {
  outcome: string;
  summary: string;
  ref?: string;
  builds: QueuedBuild[];
  /** Builds whose state changed without a job (replaced while waiting): GitHub is told too. */
  alsoReport?: string[];
}
