// Files below a folder the tenant may change under us (the filestore is written by the build's
// Odoo, the work tree comes from a pushed branch). Every step is taken from an open folder, as
// openat(2) would, through /proc/self/fd/N with O_NOFOLLOW: a symlink planted anywhere on the
// way, or swapped in between two calls, is refused instead of followed out of the folder.
import { constants, type Stats } from "node:fs";
import { type FileHandle, lchown, lstat, mkdir, open } from "node:fs/promises";

const { O_RDONLY, O_DIRECTORY, O_NOFOLLOW, O_NONBLOCK } = constants;

/** The path of `name` inside the open folder `dir` (or the folder itself). */
export function at(dir: FileHandle, name?: string): string {
  return name === undefined ? `/proc/self/fd/${dir.fd}` : `/proc/self/fd/${dir.fd}/${name}`;
}

/** One path component: no separator, not empty, not `.` or `..`. */
export function isStep(name: string): boolean {
  return name !== "" && name !== "." && name !== ".." && !name.includes("/") && !name.includes("\0");
}

function checkSteps(steps: readonly string[]): void {
  if (!steps.every(isStep)) throw Object.assign(new Error("bad path"), { code: "ENOENT" });
}

/** Opens the folder `steps` below `base` (itself opened without following a symlink). */
export async function openDirBelow(base: string, steps: readonly string[]): Promise<FileHandle> {
  checkSteps(steps);
  let dir = await open(base, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
  for (const step of steps) {
    try {
      const next = await open(at(dir, step), O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
      await dir.close();
      dir = next;
    } catch (error) {
      await dir.close();
      throw error;
    }
  }
  return dir;
}

/** Makes the folders `steps` below `base` that are missing, owned by `owner` when given. */
export async function makeDirsBelow(base: string, steps: readonly string[], owner?: number): Promise<void> {
  checkSteps(steps);
  for (let i = 0; i < steps.length; i++) {
    const parent = await openDirBelow(base, steps.slice(0, i));
    try {
      const path = at(parent, steps[i]);
      await mkdir(path, 0o755).then(
        () => (owner === undefined ? undefined : lchown(path, owner, owner)),
        (error: NodeJS.ErrnoException) => {
          if (error.code !== "EEXIST") throw error;
        },
      );
    } finally {
      await parent.close();
    }
  }
}

/** lstat of `name` in the open folder `dir`: a symlink is described, never followed. */
export function lstatAt(dir: FileHandle, name: string): Promise<Stats> {
  return lstat(at(dir, name));
}

/**
 * Opens the file `name` of the open folder `dir` without following a symlink and refuses
 * anything but a regular file (a FIFO planted by the tenant would hang a read).
 */
export async function openFileAt(
  dir: FileHandle,
  name: string,
  flags: number,
  mode = 0o644,
): Promise<FileHandle> {
  const file = await open(at(dir, name), flags | O_NOFOLLOW | O_NONBLOCK, mode);
  const stats = await file.stat().catch(async (error) => {
    await file.close();
    throw error;
  });
  if (!stats.isFile()) {
    await file.close();
    throw Object.assign(new Error("not a regular file"), { code: "EPERM" });
  }
  return file;
}
