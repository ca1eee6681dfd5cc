// The next whole lines of a log file from a byte offset. The logs folder is writable from the
// serving container, so the tenant may have put a symlink or a FIFO in place of a log: the file
// is opened without following links or blocking, and read only when it is a regular file.
import { openLogFile } from "@gantry/core";

export interface Chunk {
  /** The text of the whole lines read (with the trailing partial line when `toEnd`). */
  text: string;
  /** Byte offset (from the chunk's start) of the start of each line. */
  lineStarts: number[];
  /** Bytes used from the offset. */
  bytes: number;
  /** The chunk was cut at `maxBytes`: more follows at once. */
  capped: boolean;
}

/** Reads from `offset`; null when the file is missing or not a regular file. */
export async function readChunk(
  path: string,
  offset: number,
  options: { maxBytes: number; toEnd: boolean },
): Promise<Chunk | null> {
  const log = await openLogFile(path);
  if (!log) return null;
  const { handle, stats: info } = log;
  try {
    if (info.size <= offset) return { text: "", lineStarts: [], bytes: 0, capped: false };
    const length = Math.min(info.size - offset, options.maxBytes);
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, offset);
    const data = buffer.subarray(0, bytesRead);
    const capped = offset + bytesRead < info.size;
    const lastNewline = data.lastIndexOf(0x0a);
    // Whole lines only, unless the file is complete, or one line fills the whole chunk.
    let used = lastNewline + 1;
    if ((options.toEnd && !capped) || (used === 0 && capped)) used = data.length;
    const lineStarts: number[] = [];
    for (let at = 0; at < used; ) {
      lineStarts.push(at);
      const next = data.indexOf(0x0a, at);
      if (next < 0 || next >= used) break;
      at = next + 1;
    }
    return { text: data.subarray(0, used).toString("utf8"), lineStarts, bytes: used, capped };
  } finally {
    await handle.close();
  }
}
