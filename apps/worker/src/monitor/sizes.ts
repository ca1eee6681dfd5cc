// Database and filestore sizes cost a walk of their files, so they are measured at most every
// METRICS_SIZE_REFRESH_SECONDS per build and repeated in the samples between. The cache lives
// in this process: another worker running a cycle measures afresh, which is only slower.
import type { Dirent } from "node:fs";
import { lstat, readdir } from "node:fs/promises";
import { join } from "node:path";
import { config } from "@gantry/config";

interface Measured {
  at: number;
  bytes: bigint;
}

const cache = new Map<string, Measured>();

/** The cached size of `key`, or undefined when it is due for measuring. */
export function cachedSize(key: string, now: number): bigint | undefined {
  const seen = cache.get(key);
  if (!seen || now - seen.at >= config().METRICS_SIZE_REFRESH_SECONDS * 1000) return undefined;
  return seen.bytes;
}

export function rememberSize(key: string, now: number, bytes: bigint): void {
  cache.set(key, { at: now, bytes });
}

/** Forgets builds no longer sampled, so the cache does not grow with every build ever served. */
export function keepSizesOf(keys: ReadonlySet<string>): void {
  for (const key of cache.keys()) if (!keys.has(key.slice(key.indexOf(":") + 1))) cache.delete(key);
}

/**
 * Bytes of the files under `dir` (their apparent size; links are not followed), or null when
 * it does not exist. Hard-linked files shared with another build count in each.
 */
export async function directoryBytes(dir: string): Promise<bigint | null> {
  let total = 0n;
  const pending = [dir];
  let first = true;
  while (pending.length > 0) {
    const current = pending.pop() as string;
    let entries: Dirent[];
    try {
      entries = await readdir(current, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      if (first) return null;
      continue; // removed while walking (a garbage-collected attachment)
    }
    first = false;
    for (const entry of entries) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) pending.push(path);
      else if (entry.isFile()) total += BigInt((await lstat(path).catch(() => ({ size: 0 }))).size);
    }
  }
  return total;
}
