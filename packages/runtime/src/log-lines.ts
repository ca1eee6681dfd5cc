import { Transform, type TransformCallback } from "node:stream";
import type { LogLine } from "./types";

type StreamName = LogLine["stream"];

/** Splits bytes into lines per stream, keeping an unfinished line until its end arrives. */
class LineSplitter {
  private pending: Record<StreamName, string> = { stdout: "", stderr: "" };

  push(stream: StreamName, text: string, emit: (line: LogLine) => void): void {
    const parts = (this.pending[stream] + text).split("\n");
    this.pending[stream] = parts.pop() ?? "";
    for (const part of parts) emit({ stream, line: part.replace(/\r$/, "") });
  }

  flush(emit: (line: LogLine) => void): void {
    for (const stream of ["stdout", "stderr"] as const) {
      if (this.pending[stream] !== "") emit({ stream, line: this.pending[stream] });
      this.pending[stream] = "";
    }
  }
}

/**
 * Docker's multiplexed stream (containers and execs without a TTY): frames of an 8-byte
 * header (stream type, three zero bytes, big-endian length) and a payload. Emits LogLine
 * objects.
 */
export class DemuxLines extends Transform {
  private buffer = Buffer.alloc(0);
  private readonly lines = new LineSplitter();
  private readonly decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() };

  constructor() {
    super({ readableObjectMode: true });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    while (this.buffer.length >= 8) {
      const size = this.buffer.readUInt32BE(4);
      if (this.buffer.length < 8 + size) break;
      // 2 is stderr; 0 (stdin echo) and 1 are shown as stdout.
      const stream: StreamName = this.buffer[0] === 2 ? "stderr" : "stdout";
      const payload = this.buffer.subarray(8, 8 + size);
      this.buffer = this.buffer.subarray(8 + size);
      const text = this.decoders[stream].decode(payload, { stream: true });
      this.lines.push(stream, text, (line) => this.push(line));
    }
    done();
  }

  override _flush(done: TransformCallback): void {
    this.lines.flush((line) => this.push(line));
    done();
  }
}

/** A TTY stream is raw bytes, all of it on stdout. */
export class RawLines extends Transform {
  private readonly lines = new LineSplitter();
  private readonly decoder = new TextDecoder();

  constructor() {
    super({ readableObjectMode: true });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    const text = this.decoder.decode(chunk, { stream: true });
    this.lines.push("stdout", text, (line) => this.push(line));
    done();
  }

  override _flush(done: TransformCallback): void {
    this.lines.flush((line) => this.push(line));
    done();
  }
}

/** Reads every line of a finite line stream. */
export async function collectLines(stream: NodeJS.ReadableStream): Promise<LogLine[]> {
  const lines: LogLine[] = [];
  for await (const line of stream) lines.push(line as unknown as LogLine);
  return lines;
}
