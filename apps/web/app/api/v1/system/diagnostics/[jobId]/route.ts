import { diagnosticsJob } from "@/lib/api/endpoints/system";
import { route } from "@/lib/api/route";
import { diagnosticsJobView } from "@/lib/diagnostics";

export const dynamic = "force-dynamic";

export const GET = route(diagnosticsJob, ({ params }) => diagnosticsJobView(params.jobId));
