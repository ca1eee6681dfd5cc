import { statfs } from "node:fs/promises";
import { dirname } from "node:path";

/** Free bytes for an unprivileged writer on the filesystem holding `dir` (or its nearest existing parent). */
export async function freeBytes(dir: string): Promise<number> {
  let current = dir;
  for (;;) {
    try {
      const stats = await statfs(current);
      return stats.bavail * stats.bsize;
    } catch (error) {
      const parent = dirname(current);
      if ((error as NodeJS.ErrnoException).code !== "ENOENT" || parent === current) throw error;
      current = parent;
    }
  }
}

export async function hasFreeSpace(dir: string, bytesNeeded: number): Promise<boolean> {
  return (await freeBytes(dir)) >= bytesNeeded;
}
