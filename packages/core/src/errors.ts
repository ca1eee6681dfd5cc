/**
 * The one error type of Gantry's domain. Code says what went wrong in words the caller can act
 * on; the web layer maps each code to an HTTP status, the worker to retry or give up. Domain
 * code throws these and never HTTP types.
 */
export const errorCodes = [
  "invalid_input",
  "invalid_json",
  "unauthorized",
  "forbidden",
  "not_found",
  "conflict",
  "too_large",
  "unsupported_media_type",
  "rate_limited",
  "unavailable",
  "internal",
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export interface AppErrorOptions {
  /** Safe to show to the caller: e.g. which fields were wrong. Never secrets or stack traces. */
  details?: unknown;
  cause?: unknown;
}

export class AppError extends Error {
  override readonly name = "AppError";
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/**
 * A use-case's input read with its schema; what does not fit is `invalid_input` naming the field
 * (a bare ZodError would reach the API as an internal error).
 */
export function parseInput<T>(
  schema: {
    safeParse(
      input: unknown,
    ):
      | { success: true; data: T }
      | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
  },
  input: unknown,
): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue?.path.map(String).join(".") ?? "";
  throw new AppError("invalid_input", `${where ? `${where}: ` : ""}${issue?.message ?? "invalid input"}`);
}
