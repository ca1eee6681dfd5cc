import type { Readable } from "node:stream";

export interface StoredObject {
  key: string;
  size: number;
}

export interface ByteRange {
  /** First byte, inclusive. */
  start: number;
  /** Last byte, inclusive (HTTP Range semantics); defaults to the end. */
  end?: number;
}

/** Where backup archives live: a local folder or an S3-compatible bucket. */
export interface BackupStorage {
  /** Streams `body` to `key`, replacing any object there only once fully written. */
  put(key: string, body: Readable): Promise<{ size: number; sha256: string }>;
  /** The object's bytes, or a byte range of them (for HTTP Range downloads). */
  get(key: string, range?: ByteRange): Promise<Readable>;
  /** undefined when absent. */
  stat(key: string): Promise<StoredObject | undefined>;
  /** Deleting an absent key is not an error. */
  delete(key: string): Promise<void>;
  /** Objects whose key starts with `prefix`, sorted by key. */
  list(prefix: string): Promise<StoredObject[]>;
}
