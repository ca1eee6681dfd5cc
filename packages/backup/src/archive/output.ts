import { createHash } from "node:crypto";
import type { Writable } from "node:stream";
import { finished } from "node:stream/promises";
import { BatchedWriter } from "../batched-writer";

/** Writes reaching the destination are gathered up to this size: few, large writes. */
const BATCH_BYTES = 1024 * 1024;

/**
 * Where an archive's bytes go: small pieces (headers, small files) are batched into large
 * writes, every byte is counted and hashed (sha256) on its way out, and the destination's
 * backpressure is honoured, so memory stays bounded by one batch plus the stream's buffer.
 */
export class ArchiveOutput {
  private readonly hash = createHash("sha256");
  private readonly writer: BatchedWriter;
  /** Bytes handed to write() so far: the offset of the next byte in the archive. */
  offset = 0;

  constructor(private readonly destination: Writable) {
    // A failing destination (a full disk, a destroy() on the writer's own failure) is reported
    // through write() and end(), which see `errored`; its "error" event, with nobody else
    // listening (a file the writer opened itself), would otherwise take the process down.
    destination.on("error", () => {});
    this.writer = new BatchedWriter(destination, BATCH_BYTES, (data) => this.hash.update(data));
  }

  async write(chunk: Buffer): Promise<void> {
    this.offset += chunk.length;
    await this.writer.write(chunk);
  }

  /** Flushes, ends the destination and waits until it has everything; returns the digest. */
  async end(): Promise<{ bytes: number; sha256: string }> {
    await this.writer.flush();
    this.destination.end();
    await finished(this.destination);
    return { bytes: this.offset, sha256: this.hash.digest("hex") };
  }

  destroy(error: Error): void {
    this.destination.destroy(error);
  }
}
