// A build's log folder is written by its containers, so by the tenant's code: a name there may
// be a symlink to any file Gantry's process can read, or a FIFO that blocks a reader forever.
// Every reader of a log opens it through here: no symlink followed, nothing but a regular file.
import { constants, type Stats } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";

const flags = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

export interface OpenedLog {
  handle: FileHandle;
  stats: Stats;
}

/** The log opened for reading with its stats, or null when missing, a symlink or not a regular file. */
export async function openLogFile(path: string): Promise<OpenedLog | null> {
  let handle: FileHandle;
  try {
    handle = await open(path, flags);
  } catch {
    return null;
  }
  const stats = await handle.stat().catch(() => null);
  if (!stats?.isFile()) {
    await handle.close();
    return null;
  }
  return { handle, stats };
}
