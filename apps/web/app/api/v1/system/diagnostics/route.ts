import { enqueueDiagnostics } from "@/lib/api/endpoints/system";
import { route } from "@/lib/api/route";
import { startDiagnostics } from "@/lib/diagnostics";

export const POST = route(enqueueDiagnostics, startDiagnostics);
