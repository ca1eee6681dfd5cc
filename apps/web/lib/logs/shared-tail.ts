// One reader per followed log file, however many people follow it. Each follower used to poll
// the file on its own (an open, a stat and a read every half second each, plus a check of the
// build's state): a thousand followers of a busy build cost a thousand reads per poll, and a
// line waited up to a poll interval. Now one poll per file reads the new complete lines once,
// keeps the last of them in memory, and wakes the followers, who slice what they have not sent
// yet. A follower far behind (a reconnect from an old offset, a large file opened from its
// start) reads the file itself until it reaches what is in memory.
//
// Each poll's new lines are also framed as one server-sent event, once, and kept beside the
// bytes: a follower at the start of a kept event sends the same encoded buffers as every other
// follower, from there up to the head, however far behind it is. A tick costs one read, one
// encoding and, per follower, writes of shared buffers: with a thousand followers, followers
// a few ticks behind used to split, frame and encode their own copy of the same lines, each
// falling further behind the more the others did.
import { setTimeout as sleep } from "node:timers/promises";
import { openLogFile } from "@gantry/core";
import { allLines, sseEvent } from "./sse";

/** One encoded event: the lines of bytes [start, end) of the file, its id `end`. */
export interface Frame {
  start: number;
  end: number;
  bytes: Uint8Array;
}

/** The most recent bytes kept in memory per followed file. */
const WINDOW_BYTES = 1024 * 1024;

/**
 * The file's size and up to `maxBytes` from `offset`, from one opening; null when it is not
 * written yet (a phase creates its log when it starts) or not a plain file.
 */
export async function readFrom(
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

export class SharedTail {
  /** End of the bytes read so far: complete lines, or everything once the writer finished. */
  head: number;
  /** The file's size at the last poll. */
  size = 0;
  /** Bytes [windowStart, head) of the file. */
  windowStart: number;
  private window: Buffer = Buffer.alloc(0);
  /** Bumped when the file was truncated or replaced: followers start over. */
  generation = 0;
  /** The writer is finished and every byte is read. */
  done = false;
  followers = 0;
  private wakers = new Set<() => void>();
  private running = false;

  constructor(
    readonly path: string,
    private readonly pollMs: number,
    private readonly maxChunk: number,
    private readonly heartbeatMs: number,
    private readonly finished: (() => Promise<boolean>) | undefined,
    from: number,
  ) {
    this.head = from;
    this.windowStart = from;
  }

  /** Bytes [offset, offset + max) from memory, when memory holds `offset`. */
  slice(offset: number, max: number): Buffer | null {
    if (offset < this.windowStart || offset >= this.head) return null;
    const start = offset - this.windowStart;
    return this.window.subarray(start, Math.min(this.window.length, start + max));
  }

  /** The encoded events of the window, in order, each starting where the previous one ended. */
  private frames: Frame[] = [];

  /** The kept events from `offset` to the head, when one of them starts at `offset`. */
  framesFrom(offset: number): Frame[] | null {
    const i = this.frameIndex(offset);
    return i >= 0 && this.frames[i]!.start === offset ? this.frames.slice(i) : null;
  }

  /** Where the first kept event after `offset` starts (the head when none does). */
  boundaryAfter(offset: number): number {
    const i = this.frameIndex(offset);
    return this.frames[i + 1]?.start ?? this.head;
  }

  /** The index of the last kept event starting at or before `offset`, -1 when none. */
  private frameIndex(offset: number): number {
    let low = 0;
    let high = this.frames.length - 1;
    let found = -1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if (this.frames[mid]!.start <= offset) {
        found = mid;
        low = mid + 1;
      } else high = mid - 1;
    }
    return found;
  }

  /**
   * Heartbeats sent so far: one every `heartbeatMs` the file stays quiet, counted by the shared
   * reader's own loop. Followers compare it with what they saw, so a quiet stream costs no timer
   * per follower (a thousand followers used to arm and clear a thousand timers per poll).
   */
  beats = 0;
  private lastActivity = Date.now();

  /** Resolves when the tail moves on (new bytes, a heartbeat, the end) or when `signal` aborts. */
  changed(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        signal.removeEventListener("abort", wake);
        this.wakers.delete(wake);
        resolve();
      };
      if (signal.aborted) return resolve();
      signal.addEventListener("abort", wake, { once: true });
      this.wakers.add(wake);
    });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.run();
  }

  private wakeAll(): void {
    for (const wake of [...this.wakers]) wake();
  }

  private append(bytes: Buffer): void {
    const start = this.head;
    this.window = Buffer.concat([this.window, bytes]);
    this.head += bytes.length;
    this.lastActivity = Date.now();
    const event = sseEvent({ id: this.head, data: allLines(bytes).lines.join("\n") });
    this.frames.push({ start, end: this.head, bytes: Buffer.from(event) });
    if (this.window.length > WINDOW_BYTES) {
      const drop = this.window.length - WINDOW_BYTES;
      this.window = Buffer.from(this.window.subarray(drop));
      this.windowStart += drop;
      while (this.frames.length > 0 && this.frames[0]!.start < this.windowStart) this.frames.shift();
    }
  }

  private async run(): Promise<void> {
    while (this.followers > 0 && !this.done) {
      // Asked before reading: a writer finished now has all its bytes on disk already.
      const finished = this.finished ? await this.finished().catch(() => false) : false;
      let read = await readFrom(this.path, this.head, this.maxChunk).catch(() => null);
      if (read && read.size < this.head) {
        // Truncated or replaced: everyone starts over from the beginning.
        this.generation += 1;
        this.head = 0;
        this.windowStart = 0;
        this.window = Buffer.alloc(0);
        this.frames = [];
        this.wakeAll();
        read = await readFrom(this.path, 0, this.maxChunk).catch(() => null);
      }
      if (read) this.size = read.size;
      const chunk = read?.chunk ?? Buffer.alloc(0);
      const end = chunk.lastIndexOf(0x0a) + 1;
      // Complete lines; or a line longer than a chunk, or the unterminated end of a finished file.
      const take =
        end > 0 ? end : chunk.length === this.maxChunk || (finished && chunk.length) ? chunk.length : 0;
      if (take > 0) {
        this.append(chunk.subarray(0, take));
        this.wakeAll();
        // More may be waiting: read on at once, letting the followers send in between.
        await new Promise((resolve) => setImmediate(resolve));
        continue;
      }
      if (finished) {
        this.done = true;
        this.wakeAll();
        break;
      }
      if (Date.now() - this.lastActivity >= this.heartbeatMs) {
        this.lastActivity = Date.now();
        this.beats += 1;
        this.wakeAll();
      }
      await sleep(Math.min(this.pollMs, this.heartbeatMs));
    }
    this.running = false;
  }
}

const tails = new Map<string, SharedTail>();

/** The shared tail of `path` (made on first use), counted as followed until `release`. */
export function followTail(
  path: string,
  options: {
    from: number;
    pollMs: number;
    maxChunk: number;
    heartbeatMs: number;
    finished?: () => Promise<boolean>;
  },
): SharedTail {
  const key = `${options.pollMs}:${options.maxChunk}:${options.heartbeatMs}:${path}`;
  let tail = tails.get(key);
  if (!tail || tail.done) {
    tail = new SharedTail(
      path,
      options.pollMs,
      options.maxChunk,
      options.heartbeatMs,
      options.finished,
      options.from,
    );
    tails.set(key, tail);
  }
  tail.followers += 1;
  tail.start();
  return tail;
}

export function releaseTail(tail: SharedTail): void {
  tail.followers -= 1;
  if (tail.followers > 0) return;
  for (const [key, value] of tails) if (value === tail) tails.delete(key);
}

/** The shared readers of `path` and how many follow each (for tests and diagnostics). */
export function tailsOf(path: string): number[] {
  return [...tails.values()].filter((t) => t.path === path).map((t) => t.followers);
}
