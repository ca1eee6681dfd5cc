import {
  type DiagnosticsResult,
  diagnosticsQueue,
  diagnosticsResult,
  enqueueDiagnostics,
  getJobView,
  type JobView,
} from "@gantry/queue";

export interface DiagnosticsReport extends Omit<JobView, "result"> {
  /** The worker's measurements once the job completed; null before, or if they do not parse. */
  result: DiagnosticsResult | null;
}

/** Asks a worker to measure Docker, PostgreSQL and Redis from where it runs. */
export function requestDiagnostics(requestedBy?: string): Promise<{ jobId: string }> {
  return enqueueDiagnostics(requestedBy === undefined ? {} : { requestedBy });
}

/** The diagnostics job with its result typed; null when no such job exists. */
export async function diagnosticsReport(jobId: string): Promise<DiagnosticsReport | null> {
  const view = await getJobView(diagnosticsQueue, jobId);
  if (view?.name !== "maintenance.diagnostics") return null;
  const parsed = diagnosticsResult.safeParse(view.result);
  return { ...view, result: parsed.success ? parsed.data : null };
}
