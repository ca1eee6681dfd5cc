// Reads Caddy's access log from where the last read stopped, whole lines only. A new file
// (rotated) or a shorter one (truncated) is read from its start. The position lives in this
// process: after a restart the file is read once more from the start, which only records
// times already seen.
import { open, stat } from "node:fs/promises";
import { ifExists } from "@gantry/config";
import { lastRequestsByHost } from "@gantry/core";

/** A rotated log holds at most this much; a larger gap is read from its end. */
const MAX_READ_BYTES = 16 * 1024 * 1024;

interface Cursor {
  path: string;
  ino: number;
  offset: number;
}

let cursor: Cursor | null = null;

/** The newest request per host written since the previous call. */
export async function readNewRequests(path: string): Promise<Map<string, Date>> {
  const info = await ifExists(stat(path)); // Caddy creates it on the first request
  if (!info) return new Map();
  const same = cursor && cursor.path === path && cursor.ino === info.ino && cursor.offset <= info.size;
  let start = same && cursor ? cursor.offset : 0;
  if (info.size - start > MAX_READ_BYTES) start = info.size - MAX_READ_BYTES;
  const length = info.size - start;
  if (length === 0) return new Map();
  const file = await open(path, "r");
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await file.read(buffer, 0, length, start);
    // A line Caddy is still writing is left for the next read.
    const end = buffer.subarray(0, bytesRead).lastIndexOf(0x0a) + 1;
    cursor = { path, ino: info.ino, offset: start + end };
    return lastRequestsByHost(buffer.subarray(0, end).toString("utf8"));
  } finally {
    await file.close();
  }
}
