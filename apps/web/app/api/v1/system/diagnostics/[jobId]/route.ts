import { authedRoute } from "@/lib/api/authed";
import { diagnosticsJob } from "@/lib/api/endpoints/system";
import { diagnosticsJobView } from "@/lib/diagnostics";

export const dynamic = "force-dynamic";

export const GET = authedRoute(diagnosticsJob, ({ actor, params }) =>
  diagnosticsJobView(actor, params.jobId),
);
