// What one SFTP upload may take from the host: a file is capped at a size, and writes stop
// while the filesystem under the filestore has less free space than a reserve, so a person
// with the Shell right cannot fill the disk that production's filestores and databases share.
import { statfs } from "node:fs/promises";
import { config } from "@gantry/config";

export interface UploadLimits {
  /** No file grows past this many bytes through SFTP. */
  maxFileBytes: number;
  /** Writes are refused while fewer bytes than this are free on the filestore's filesystem. */
  minFreeBytes: number;
}

export function configuredUploadLimits(): UploadLimits {
  return { maxFileBytes: config().SFTP_MAX_FILE_BYTES, minFreeBytes: config().SFTP_MIN_FREE_BYTES };
}

// The free space is looked at again after this much was written: statfs per 32 KiB packet
// would cost more than the write.
const RECHECK_BYTES = 8 * 1024 * 1024;

const mib = (bytes: number) => `${Math.floor(bytes / (1024 * 1024))} MiB`;

/** Why a write of `length` bytes at `offset` is refused, or null when it may go on. */
export function oversizeReason(limits: UploadLimits, offset: number, length: number): string | null {
  if (offset + length <= limits.maxFileBytes) return null;
  return `File too large: uploads are limited to ${mib(limits.maxFileBytes)} per file`;
}

export function lowSpaceReason(limits: UploadLimits, freeBytes: number, length: number): string | null {
  if (freeBytes - length >= limits.minFreeBytes) return null;
  return `Not enough free space on the server: uploads stop while less than ${mib(limits.minFreeBytes)} is free`;
}

/** The free-space side, per session: statfs at the first write and every few MiB after. */
export class FreeSpaceGuard {
  private sinceCheck = Number.POSITIVE_INFINITY;
  private free = 0;

  constructor(
    private readonly limits: UploadLimits,
    private readonly path: string,
    private readonly readFree: (path: string) => Promise<number> = freeBytesAt,
  ) {}

  async refusal(length: number): Promise<string | null> {
    if (this.sinceCheck >= RECHECK_BYTES) {
      this.free = await this.readFree(this.path);
      this.sinceCheck = 0;
    }
    const reason = lowSpaceReason(this.limits, this.free, length);
    if (reason) {
      // Space may come back (a cleanup): the next write looks again.
      this.sinceCheck = Number.POSITIVE_INFINITY;
      return reason;
    }
    this.sinceCheck += length;
    this.free -= length;
    return null;
  }
}

async function freeBytesAt(path: string): Promise<number> {
  const stats = await statfs(path);
  return stats.bavail * stats.bsize;
}
