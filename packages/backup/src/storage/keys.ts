import { BackupError } from "../errors";
import type { ByteRange } from "./types";

const segment = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;

/** Keys are `a/b/c.zip`: plain segments only, so no key can escape a folder or bucket prefix. */
export function validateKey(key: string): string {
  const parts = key.split("/");
  if (key.length > 512 || parts.some((p) => !segment.test(p) || p === "." || p === "..")) {
    throw new BackupError("INVALID_KEY", `invalid storage key ${JSON.stringify(key)}`);
  }
  return key;
}

/** A prefix may end with "/" or be empty; its segments follow the key rules. */
export function validatePrefix(prefix: string): string {
  if (prefix === "") return prefix;
  validateKey(prefix.endsWith("/") ? prefix.slice(0, -1) : prefix);
  return prefix;
}

export function checkRange(
  range: ByteRange | undefined,
  size: number,
): { start: number; end: number } | undefined {
  if (!range) return undefined;
  const end = range.end ?? size - 1;
  if (
    !Number.isInteger(range.start) ||
    range.start < 0 ||
    !Number.isInteger(end) ||
    end < range.start ||
    end >= size
  ) {
    throw new BackupError(
      "INVALID_RANGE",
      `range ${range.start}-${range.end ?? ""} is outside 0-${size - 1}`,
    );
  }
  return { start: range.start, end };
}
