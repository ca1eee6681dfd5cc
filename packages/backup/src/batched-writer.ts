import type { Writable } from "node:stream";

/**
 * Writes a chunk and, when the stream's buffer is full, waits for it to drain. Unlike
 * `once(stream, "drain")`, a stream that closes or fails instead (a child process that
 * exited, a destroyed file) rejects rather than waiting forever.
 */
export async function writeDrained(stream: Writable, chunk: Buffer | string): Promise<void> {
  if (stream.destroyed || stream.writableEnded) {
    throw stream.errored ?? new Error("the stream was closed before all data was written");
  }
  if (stream.write(chunk)) return;
  await new Promise<void>((resolve, reject) => {
    const settle = (error?: Error) => {
      stream.off("drain", onDrain);
      stream.off("error", onError);
      stream.off("close", onClose);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = () => settle();
    const onError = (error: Error) => settle(error);
    const onClose = () =>
      settle(stream.errored ?? new Error("the stream was closed before all data was written"));
    stream.on("drain", onDrain);
    stream.on("error", onError);
    stream.on("close", onClose);
  });
}

/**
 * Gathers small writes into batches of at least `batchBytes` before they reach `stream`:
 * fewer, larger writes (system calls, pipe wake-ups). `onBatch` sees each batch on its way.
 */
export class BatchedWriter {
  private batch: Buffer[] = [];
  private batchBytes = 0;

  constructor(
    private readonly stream: Writable,
    private readonly threshold: number,
    private readonly onBatch?: (data: Buffer) => void,
  ) {}

  async write(chunk: Buffer): Promise<void> {
    this.batch.push(chunk);
    this.batchBytes += chunk.length;
    if (this.batchBytes >= this.threshold) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.batchBytes === 0) return;
    const data = this.batch.length === 1 ? this.batch[0]! : Buffer.concat(this.batch, this.batchBytes);
    this.batch = [];
    this.batchBytes = 0;
    this.onBatch?.(data);
    await writeDrained(this.stream, data);
  }
}
