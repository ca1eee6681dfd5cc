import { type Actor, AppError, assertCan } from "@gantry/core";
import { diagnosticsQueue, enqueueDiagnostics, getJobView } from "@gantry/queue";
import { bounded } from "./queue-bounded";

const diagnosticsJobName = "maintenance.diagnostics";

/** The diagnosis shows the whole platform (servers, paths, versions): administrators only. */
export function startDiagnostics(actor: Actor): Promise<{ jobId: string }> {
  assertCan(actor, "system.diagnose");
  return bounded(enqueueDiagnostics());
}

/** Only diagnostics jobs are shown: the maintenance queue also holds other jobs. */
export async function diagnosticsJobView(actor: Actor, jobId: string) {
  assertCan(actor, "system.diagnose");
  const view = await bounded(getJobView(diagnosticsQueue, jobId));
  if (!view || view.name !== diagnosticsJobName)
    throw new AppError("not_found", `No diagnostics job ${jobId}`);
  return view;
}
