export { FilesystemStorage } from "./fs";
export { checkRange, validateKey } from "./keys";
export { S3Storage, type S3StorageOptions } from "./s3";
export type { BackupStorage, ByteRange, StoredObject } from "./types";
