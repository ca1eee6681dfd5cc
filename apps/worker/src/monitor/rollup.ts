import { maintainMetrics } from "@gantry/core";
import type { JobHandler } from "../handler";

/** Minutes and hours rolled up from the raw samples, then each kind's retention. */
export const metricsRollupJob: JobHandler<"maintenance.metrics-rollup"> = async () => maintainMetrics();
