import { createHash, type Hash } from "node:crypto";
import { Transform, type TransformCallback } from "node:stream";

/** A pass-through that hashes (sha256) and counts what flows through it. */
export class HashCounter extends Transform {
  private readonly hash: Hash = createHash("sha256");
  bytes = 0;
  private digestValue: string | undefined;

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    done(null, chunk);
  }

  /** Available once the stream has ended. */
  get sha256(): string {
    this.digestValue ??= this.hash.digest("hex");
    return this.digestValue;
  }
}
