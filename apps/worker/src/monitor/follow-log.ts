// Reads a log someone else writes (Caddy, a PostgreSQL cluster, a build's Odoo) from where the
// previous read stopped, whole lines only, a chunk at a time (memory stays bounded whatever
// the backlog). The position is kept in Gantry's database by name. A file replaced since
// (rotated: renamed aside, a new one started) has the rest of its old self read first when it
// is still found beside it by inode; a shorter file (truncated) is read from its start; a
// backlog larger than `maxBytes` is skipped to its last `maxBytes`.
import type { Dirent } from "node:fs";
import { type FileHandle, open, readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { type ReadPosition, readPosition, savePosition } from "@gantry/core";

const CHUNK = 1024 * 1024;
/** A line longer than this is dropped rather than held (nothing Gantry reads writes one). */
const MAX_LINE = 1024 * 1024;

export interface FollowInput {
  /** The position's name, e.g. `caddy:access`, `pg:<server>`, `odoo:<build>`. */
  source: string;
  /** The file as it is now, opened by the caller (who decides how safely). */
  handle: FileHandle;
  /** A folder where the file's rotated predecessor may lie, and the prefix of its name. */
  rotated?: { dir: string; prefix: string };
  maxBytes: number;
  /**
   * Where the previous read stopped, when the caller read it already (null: never read), and
   * whom to hand the new one; by default both go through the database one at a time.
   */
  position?: { saved: ReadPosition | null; save: (next: ReadPosition) => void };
  onLines: (lines: string[]) => void | Promise<void>;
}

/** Reads [from, to) of `handle` and hands over its complete lines; returns the offset after the last one. */
async function readLines(
  handle: FileHandle,
  from: number,
  to: number,
  skipFirst: boolean,
  onLines: FollowInput["onLines"],
): Promise<number> {
  let position = from;
  let consumed = from;
  let carry = Buffer.alloc(0);
  let dropping = skipFirst; // started mid-line: the partial line is not a line
  const buffer = Buffer.alloc(Math.min(CHUNK, Math.max(to - from, 1)));
  while (position < to) {
    const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, to - position), position);
    if (bytesRead === 0) break;
    position += bytesRead;
    let chunk = Buffer.concat([carry, buffer.subarray(0, bytesRead)]);
    const base = position - chunk.length;
    let start = 0;
    if (dropping) {
      const newline = chunk.indexOf(0x0a);
      if (newline < 0) {
        carry = Buffer.alloc(0);
        consumed = position;
        continue;
      }
      start = newline + 1;
      dropping = false;
    }
    const end = chunk.lastIndexOf(0x0a);
    if (end >= start) {
      const text = chunk.subarray(start, end).toString("utf8");
      await onLines(text.split("\n"));
      consumed = base + end + 1;
      chunk = chunk.subarray(end + 1);
    } else {
      chunk = chunk.subarray(start);
      consumed = base + start;
    }
    if (chunk.length > MAX_LINE) {
      dropping = true;
      carry = Buffer.alloc(0);
      consumed = position;
    } else {
      carry = Buffer.from(chunk);
    }
  }
  return consumed;
}

/** The rotated file with inode `inode` in `dir` whose name starts with `prefix`, if still there. */
async function findByInode(dir: string, prefix: string, inode: bigint): Promise<string | null> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return null;
  }
  for (const entry of entries) {
    if (!entry.isFile() || !entry.name.startsWith(prefix)) continue;
    const path = join(dir, entry.name);
    const info = await stat(path, { bigint: true }).catch(() => null);
    if (info?.ino === inode) return path;
  }
  return null;
}

/** Reads what was appended since the previous call; returns the bytes read. */
export async function followLog(input: FollowInput): Promise<number> {
  const info = await input.handle.stat({ bigint: true });
  const size = Number(info.size);
  const saved = input.position ? input.position.saved : await readPosition(input.source);
  let read = 0;
  if (saved && saved.inode !== info.ino && input.rotated) {
    const old = await findByInode(input.rotated.dir, input.rotated.prefix, saved.inode);
    if (old) {
      const handle = await open(old, "r");
      try {
        const oldSize = Number((await handle.stat()).size);
        const from = Math.max(Number(saved.offset), oldSize - input.maxBytes);
        if (oldSize > from) {
          await readLines(handle, from, oldSize, from > Number(saved.offset), input.onLines);
          read += oldSize - from;
        }
      } finally {
        await handle.close();
      }
    }
  }
  const same = saved && saved.inode === info.ino && Number(saved.offset) <= size;
  let from = same ? Number(saved.offset) : 0;
  const skip = size - from > input.maxBytes;
  if (skip) from = size - input.maxBytes;
  const end = size > from ? await readLines(input.handle, from, size, skip, input.onLines) : from;
  read += size - from;
  const next = { inode: info.ino, offset: BigInt(end) };
  if (input.position) input.position.save(next);
  else await savePosition(input.source, next);
  return read;
}
