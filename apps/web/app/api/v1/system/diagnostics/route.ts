import { authedRoute } from "@/lib/api/authed";
import { enqueueDiagnostics } from "@/lib/api/endpoints/system";
import { startDiagnostics } from "@/lib/diagnostics";

export const POST = authedRoute(enqueueDiagnostics, ({ actor }) => startDiagnostics(actor));
