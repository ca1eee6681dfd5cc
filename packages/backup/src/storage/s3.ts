import type { Readable } from "node:stream";
import type { S3Client, S3ClientConfig } from "@aws-sdk/client-s3";
import { HashCounter } from "../archive/counting";
import { BackupError } from "../errors";
import { checkRange, validateKey, validatePrefix } from "./keys";
import type { BackupStorage, ByteRange, StoredObject } from "./types";

export interface S3StorageOptions {
  bucket: string;
  /** Prepended to every key (e.g. "gantry/"); validated like keys. */
  prefix?: string;
  client: S3Client | S3ClientConfig;
  /** Multipart part size; memory use is about partSize x queueSize. */
  partSize?: number;
  queueSize?: number;
}

// The AWS SDK is loaded on first use: about 20 MB of a process's memory that an installation
// keeping its backups on disk never needs (every worker and web process imports this package).
const sdk = () => import("@aws-sdk/client-s3");

function isClient(client: S3Client | S3ClientConfig): client is S3Client {
  return typeof (client as { send?: unknown }).send === "function";
}

/** Backups in an S3-compatible bucket, uploaded as streamed multipart uploads. */
export class S3Storage implements BackupStorage {
  private clientPromise: Promise<S3Client> | undefined;
  private readonly bucket: string;
  private readonly prefix: string;
  constructor(private readonly options: S3StorageOptions) {
    this.bucket = options.bucket;
    this.prefix = validatePrefix(options.prefix ?? "");
  }

  private client(): Promise<S3Client> {
    const given = this.options.client;
    this.clientPromise ??= isClient(given)
      ? Promise.resolve(given)
      : sdk().then(({ S3Client }) => new S3Client(given));
    return this.clientPromise;
  }

  private full(key: string): string {
    return this.prefix + validateKey(key);
  }

  async put(key: string, body: Readable): Promise<{ size: number; sha256: string }> {
    const counter = new HashCounter();
    body.on("error", (e) => counter.destroy(e));
    const { Upload } = await import("@aws-sdk/lib-storage");
    const upload = new Upload({
      client: await this.client(),
      params: { Bucket: this.bucket, Key: this.full(key), Body: body.pipe(counter) },
      partSize: this.options.partSize ?? 16 * 1024 * 1024,
      queueSize: this.options.queueSize ?? 2,
      leavePartsOnError: false,
    });
    await upload.done();
    return { size: counter.bytes, sha256: counter.sha256 };
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    const found = await this.stat(key);
    if (!found) throw new BackupError("NOT_FOUND", `no backup stored at ${key}`);
    const r = checkRange(range, found.size);
    const { GetObjectCommand } = await sdk();
    const out = await (await this.client()).send(
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: this.full(key),
        Range: r ? `bytes=${r.start}-${r.end}` : undefined,
      }),
    );
    return out.Body as Readable;
  }

  async stat(key: string): Promise<StoredObject | undefined> {
    try {
      const { HeadObjectCommand } = await sdk();
      const out = await (await this.client()).send(
        new HeadObjectCommand({ Bucket: this.bucket, Key: this.full(key) }),
      );
      return { key, size: out.ContentLength ?? 0 };
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 404 || (error as Error).name === "NotFound" || (error as Error).name === "NoSuchKey")
        return undefined;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    const { DeleteObjectCommand } = await sdk();
    await (await this.client()).send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.full(key) }));
  }

  async list(prefix: string): Promise<StoredObject[]> {
    validatePrefix(prefix);
    const found: StoredObject[] = [];
    let token: string | undefined;
    const { ListObjectsV2Command } = await sdk();
    const client = await this.client();
    do {
      const out = await client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: this.prefix + prefix,
          ContinuationToken: token,
        }),
      );
      for (const o of out.Contents ?? []) {
        if (o.Key) found.push({ key: o.Key.slice(this.prefix.length), size: o.Size ?? 0 });
      }
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
    return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
}
