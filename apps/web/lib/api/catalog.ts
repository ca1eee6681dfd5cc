import type { Endpoint } from "./endpoint";
import { openapiDocument } from "./endpoints/meta";
import { diagnosticsJob, enqueueDiagnostics, plainHealth, systemHealth } from "./endpoints/system";

/**
 * Every endpoint of the API. The OpenAPI document is generated from this list, and a test
 * checks that each route file under app/api appears in it.
 */
export const endpoints: readonly Endpoint[] = [
  plainHealth,
  systemHealth,
  enqueueDiagnostics,
  diagnosticsJob,
  openapiDocument,
];
