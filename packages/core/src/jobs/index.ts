export { type DiagnosticsReport, diagnosticsReport, requestDiagnostics } from "./diagnostics";
