import { AppError, type ErrorCode } from "@gantry/core";
import { isDatabaseUnavailable } from "@gantry/db";
import { log } from "../log";
import type { ErrorBody } from "./schemas";
import { httpStatusOf } from "./status-codes";

export function errorResponse(code: ErrorCode, message: string, details?: unknown): Response {
  const body: ErrorBody = { error: { code, message, ...(details === undefined ? {} : { details }) } };
  return Response.json(body, { status: httpStatusOf[code] });
}

/** The answer for a path no endpoint serves, in the API's error shape rather than HTML. */
export function noEndpoint(request: Request): Response {
  return errorResponse("not_found", `No endpoint ${request.method} ${new URL(request.url).pathname}`);
}

/**
 * Turns anything a handler threw into the API's error answer. An AppError speaks for itself;
 * Gantry's database out of reach (down, restarting) is not a bug: 503 `unavailable`, so that
 * clients and load balancers try again. Anything else is a bug: logged here with its stack,
 * answered as a bare 500 `internal`.
 */
export function toErrorResponse(error: unknown, context: { method: string; path: string }): Response {
  if (error instanceof AppError) {
    if (error.code === "internal") log.error({ err: error, ...context }, "internal error");
    return errorResponse(error.code, error.message, error.details);
  }
  if (isDatabaseUnavailable(error)) {
    // Expected while PostgreSQL restarts: one line, not a stack per request.
    log.warn(
      {
        ...context,
        reason: String((error as Error).message)
          .trim()
          .split("\n")
          .at(-1),
      },
      "Gantry's database is unavailable",
    );
    return errorResponse("unavailable", "Gantry's database is unavailable; try again in a moment");
  }
  log.error({ err: error, ...context }, "unhandled error in route handler");
  return errorResponse("internal", "Internal server error");
}
