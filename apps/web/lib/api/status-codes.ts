import type { ErrorCode } from "@gantry/core";

/** The HTTP status each domain error code answers with: the one mapping of the web layer. */
export const httpStatusOf: Record<ErrorCode, number> = {
  invalid_input: 400,
  invalid_json: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
};
