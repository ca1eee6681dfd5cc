// A log file followed as server-sent events: what is there from the requested offset, then each
// complete line as it is appended (the file is polled: fs.watch misses writes made through bind
// mounts by containers). Ends when the reader goes away, or after the last bytes once the
// writer is known to be finished.

import { setTimeout as sleep } from "node:timers/promises";
import { openLogFile } from "@gantry/core";
import { completeLines, sseComment, sseEvent } from "./sse";

export interface TailOptions {
  path: string;
  /** Byte offset to start from (0, or the Last-Event-ID of a reconnecting client). */
  from: number;
  signal: AbortSignal;
  pollMs?: number;
  heartbeatMs?: number;
  /** The most bytes one event carries, so a large file goes out in several events. */
  maxChunkBytes?: number;
  /** True when nothing more will be written: the stream then sends `event: end` and closes. */
  finished?: () => Promise<boolean>;
}

/**
 * The file's size and up to `maxBytes` from `offset`, from one opening; null when it is not
 * written yet (a phase creates its log when it starts) or not a plain file.
 */
async function readFrom(
  path: string,
  offset: number,
  maxBytes: number,
): Promise<{ size: number; chunk: Buffer } | null> {
  const log = await openLogFile(path);
  if (!log) return null;
  const { handle, stats } = log;
  try {
    const length = Math.max(0, Math.min(stats.size - offset, maxBytes));
    if (length === 0) return { size: stats.size, chunk: Buffer.alloc(0) };
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, offset);
    return { size: stats.size, chunk: buffer.subarray(0, bytesRead) };
  } finally {
    await handle.close();
  }
}

/** The SSE frames of a tail, as text. */
export async function* tailFrames(options: TailOptions): AsyncGenerator<string> {
  const { path, signal } = options;
  const pollMs = options.pollMs ?? 500;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const maxChunk = options.maxChunkBytes ?? 256 * 1024;
  let offset = options.from;
  let lastSent = Date.now();
  yield "retry: 2000\n\n";
  while (!signal.aborted) {
    // Asked before reading: a writer finished now has all its bytes on disk already.
    const done = options.finished ? await options.finished() : false;
    let read = await readFrom(path, offset, maxChunk);
    if (read && read.size < offset) {
      offset = 0; // truncated or replaced: start over
      yield sseEvent({ event: "reset", id: 0, data: "" });
      read = await readFrom(path, offset, maxChunk);
    }
    if (read && read.chunk.length > 0) {
      const { chunk } = read;
      let { lines, consumed } = completeLines(chunk);
      const stuck = consumed === 0 && (chunk.length === maxChunk || done);
      if (stuck) {
        // One line longer than a chunk, or the unterminated last line of a finished file.
        lines = [chunk.toString("utf8")];
        consumed = chunk.length;
      }
      if (consumed > 0) {
        offset += consumed;
        lastSent = Date.now();
        yield sseEvent({ id: offset, data: lines.join("\n") });
        continue;
      }
    }
    if (done) {
      yield sseEvent({ event: "end", id: offset, data: "" });
      return;
    }
    if (Date.now() - lastSent >= heartbeatMs) {
      lastSent = Date.now();
      yield sseComment("heartbeat");
    }
    try {
      await sleep(pollMs, undefined, { signal });
    } catch {
      return;
    }
  }
}

/** The tail as a response body stream; cancelling it (client gone) stops the polling. */
export function tailStream(options: Omit<TailOptions, "signal"> & { signal?: AbortSignal }) {
  const controller = new AbortController();
  options.signal?.addEventListener("abort", () => controller.abort(), { once: true });
  const frames = tailFrames({ ...options, signal: controller.signal });
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(stream) {
      try {
        const next = await frames.next();
        if (next.done) stream.close();
        else stream.enqueue(encoder.encode(next.value));
      } catch (error) {
        stream.error(error);
      }
    },
    async cancel() {
      controller.abort();
      await frames.return(undefined);
    },
  });
}
