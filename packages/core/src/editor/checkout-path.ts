// Paths inside a build's checkout, given by a browser: hostile. A path is a relative, slash-
// separated name with no `.`/`..` segment and nothing under `.git` (its hooks and config would
// run on the host at the next commit). Every folder on the way is looked at without following
// links: a symlink the repository committed is never gone through, so nothing outside the
// checkout is reached, and a file is opened with O_NOFOLLOW at the end. The serving container
// mounts the checkout read-only, so nothing else changes it between the look and the open.
import { constants } from "node:fs";
import { type FileHandle, lstat, open, realpath } from "node:fs/promises";
import { join, sep } from "node:path";
import { AppError } from "../errors";

const MAX_PATH = 1024;

/** The path's segments, or invalid_input when it could leave the checkout or touch `.git`. */
export function pathSegments(path: string): string[] {
  if (path.length === 0 || path.length > MAX_PATH) throw new AppError("invalid_input", "invalid path length");
  if (/[\0\\]/.test(path) || path.startsWith("/")) {
    throw new AppError("invalid_input", "a path is relative to the checkout, with forward slashes");
  }
  const segments = path.split("/");
  for (const segment of segments) {
    if (segment === "" || segment === "." || segment === "..") {
      throw new AppError("invalid_input", `invalid path ${JSON.stringify(path)}: empty, . or .. segment`);
    }
    if (segment === ".git") throw new AppError("forbidden", "git's own files are not editable");
  }
  return segments;
}

async function lstatOrNull(path: string) {
  try {
    return await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

/**
 * The absolute path of `path` in `root` after checking each folder on the way: real folders
 * (no symlink) and no submodule (a folder with its own `.git`: its files belong to another
 * repository). The last segment is returned as it is; the caller opens it with O_NOFOLLOW.
 * `root` itself must be a real folder, not a link.
 */
export async function confinedPath(root: string, path: string): Promise<string> {
  const segments = pathSegments(path);
  const rootStat = await lstatOrNull(root);
  if (!rootStat?.isDirectory()) throw new AppError("not_found", "the build has no checkout");
  let current = root;
  for (const segment of segments.slice(0, -1)) {
    current = join(current, segment);
    const stat = await lstatOrNull(current);
    if (!stat) throw new AppError("not_found", `no such file: ${path}`);
    if (stat.isSymbolicLink()) throw new AppError("forbidden", `${path} goes through a symbolic link`);
    if (!stat.isDirectory()) throw new AppError("not_found", `no such file: ${path}`);
    if (await lstatOrNull(join(current, ".git"))) {
      throw new AppError("forbidden", `${path} is inside a submodule: edit it in its own repository`);
    }
  }
  const full = join(current, segments.at(-1) as string);
  // A last safeguard: whatever the walk saw, the parent resolves under the root.
  const parent = await realpath(current);
  const realRoot = await realpath(root);
  if (parent !== realRoot && !parent.startsWith(realRoot + sep)) {
    throw new AppError("forbidden", `${path} is outside the checkout`);
  }
  return full;
}

/** Opens a regular file of the checkout, never through a link; null when it does not exist. */
export async function openConfined(
  root: string,
  path: string,
  flags: number,
  mode?: number,
): Promise<FileHandle | null> {
  const full = await confinedPath(root, path);
  let handle: FileHandle;
  try {
    handle = await open(full, flags | constants.O_NOFOLLOW | constants.O_NONBLOCK, mode);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return null;
    // O_NOFOLLOW on a symlink fails with ELOOP.
    if (code === "ELOOP") throw new AppError("forbidden", `${path} is a symbolic link`);
    if (code === "EISDIR") throw new AppError("invalid_input", `${path} is a folder`);
    throw error;
  }
  const stat = await handle.stat();
  if (!stat.isFile()) {
    await handle.close();
    throw new AppError("invalid_input", `${path} is not a regular file`);
  }
  return handle;
}
