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
