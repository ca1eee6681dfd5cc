/**
 * Every refusal of the backup package carries a stable code, so callers (API, UI, jobs) can
 * map it to a message or an HTTP status without parsing text.
 */
export const backupErrorCodes = [
  "ZIP_SLIP",
  "ENTRY_NOT_ALLOWED",
  "LINK_ENTRY",
  "DUPLICATE_ENTRY",
  "ENCRYPTED_ENTRY",
  "UNSUPPORTED_COMPRESSION",
  "TOO_MANY_ENTRIES",
  "TOO_LARGE",
  "COMPRESSION_RATIO",
  "SIZE_MISMATCH",
  "TRUNCATED",
  "CRC_MISMATCH",
  "NOT_A_ZIP",
  "NOT_A_DUMP",
  "NOT_ODOO",
  "MISSING_DUMP",
  "MISSING_MANIFEST",
  "INVALID_MANIFEST",
  "NEWER_SERIES",
  "SQL_FORBIDDEN",
  "PSQL_TOO_OLD",
  "NO_SPACE",
  "TARGET_EXISTS",
  "COMMAND_FAILED",
  "INVALID_KEY",
  "NOT_FOUND",
  "INVALID_RANGE",
  "MANUAL_LIMIT",
] as const;

export type BackupErrorCode = (typeof backupErrorCodes)[number];

export class BackupError extends Error {
  override readonly name = "BackupError";
  constructor(
    readonly code: BackupErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export function isBackupError(error: unknown, code?: BackupErrorCode): error is BackupError {
  return error instanceof BackupError && (code === undefined || error.code === code);
}
