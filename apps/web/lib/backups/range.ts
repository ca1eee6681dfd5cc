// The one byte range of an HTTP `Range` header that downloads honour (`bytes=a-b`, `bytes=a-`,
// `bytes=-n`); several ranges or other units are ignored and the whole file is served.
export interface ByteRangeRequest {
  start?: number;
  end?: number;
  /** `bytes=-n`: the last n bytes. */
  suffix?: number;
}

export function parseRange(header: string | null): ByteRangeRequest | undefined {
  if (!header) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === "" && match[2] === "")) return undefined;
  if (match[1] === "") return { suffix: Number(match[2]) };
  const start = Number(match[1]);
  const end = match[2] === "" ? undefined : Number(match[2]);
  if (!Number.isSafeInteger(start) || (end !== undefined && !Number.isSafeInteger(end))) return undefined;
  return { start, end };
}
