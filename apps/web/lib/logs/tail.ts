// A log file followed as server-sent events: what is there from the requested offset, then each
// complete line as it is appended. The file is polled (fs.watch misses writes made through bind
// mounts by containers), once per file for every follower (shared-tail.ts). Ends when the
// reader goes away, or after the last bytes once the writer is known to be finished.

import { followTail, readFrom, releaseTail } from "./shared-tail";
import { allLines, completeLines, sseComment, sseEvent } from "./sse";

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

/** Complete lines of `chunk` (or all of it when no newline fits in a full chunk). */
function linesOf(chunk: Buffer, maxChunk: number): { lines: string[]; consumed: number } {
  const complete = completeLines(chunk);
  if (complete.consumed > 0 || chunk.length < maxChunk) return complete;
  return { lines: [chunk.toString("utf8")], consumed: chunk.length };
}

/** The SSE frames of a tail, as text. */
export async function* tailFrames(options: TailOptions): AsyncGenerator<string | Uint8Array> {
  const { path, signal } = options;
  const pollMs = options.pollMs ?? 100;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const maxChunk = options.maxChunkBytes ?? 256 * 1024;
  const tail = followTail(path, {
    from: options.from,
    pollMs,
    maxChunk,
    heartbeatMs,
    finished: options.finished,
  });
  let offset = options.from;
  let generation = tail.generation;
  let beats = tail.beats;
  try {
    yield "retry: 2000\n\n";
    while (!signal.aborted) {
      if (tail.generation !== generation || (offset > tail.head && tail.size < offset && tail.size > 0)) {
        // Truncated or replaced (or a resume point past the file's end): start over.
        generation = tail.generation;
        offset = 0;
        yield sseEvent({ event: "reset", id: 0, data: "" });
        continue;
      }
      // At the start of a kept event: the events the shared reader encoded, up to the head.
      const kept = tail.framesFrom(offset);
      if (kept) {
        offset = kept.at(-1)!.end;
        for (const frame of kept) yield frame.bytes;
        continue;
      }
      let chunk: Buffer | null = null;
      let toCut = false;
      if (offset < tail.head) {
        // In memory but between kept events (a resume point of another reader): up to the next,
        // where the shared reader cut (a line's end, or a cut inside a line longer than a chunk).
        const boundary = tail.boundaryAfter(offset);
        chunk = tail.slice(offset, Math.min(maxChunk, boundary - offset));
        toCut = chunk !== null && offset + chunk.length === boundary;
        if (!chunk) {
          // Behind what memory holds: read the file up to it.
          const read = await readFrom(path, offset, Math.min(maxChunk, tail.windowStart - offset));
          chunk = read?.chunk ?? Buffer.alloc(0);
        }
      }
      if (chunk && chunk.length > 0) {
        // The end of a finished file goes out whole, its unterminated last line included.
        const toEnd = toCut || (tail.done && offset + chunk.length === tail.head);
        const { lines, consumed } = toEnd ? allLines(chunk) : linesOf(chunk, maxChunk);
        if (consumed > 0) {
          const frame = sseEvent({ id: offset + consumed, data: lines.join("\n") });
          offset += consumed;
          yield frame;
          continue;
        }
      }
      if (tail.done && offset >= tail.head) {
        yield sseEvent({ event: "end", id: offset, data: "" });
        return;
      }
      // The shared reader beats once the file was quiet for `heartbeatMs`: a comment keeps
      // proxies from closing the idle stream.
      if (tail.beats !== beats) {
        beats = tail.beats;
        yield sseComment("heartbeat");
        continue;
      }
      await tail.changed(signal);
    }
  } finally {
    releaseTail(tail);
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
        else stream.enqueue(typeof next.value === "string" ? encoder.encode(next.value) : next.value);
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
