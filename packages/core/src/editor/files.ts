// The editor's files: the checkout's tree, one file read, one file written. Sizes are capped and
// binary files are shown as such, never edited: the editor is for source code.
import { constants } from "node:fs";
import { lstat, readdir } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import type { Actor } from "../access";
import { AppError, parseInput } from "../errors";
import { openConfined, pathSegments } from "./checkout-path";
import { editorBuild } from "./target";

/** The largest file the editor opens or saves. */
export const MAX_EDITOR_FILE_BYTES = 1024 * 1024;
/** Entries of the tree beyond this are left out (a checkout of a whole Odoo is not an addons repo). */
export const MAX_TREE_ENTRIES = 5000;

export type TreeEntryType = "file" | "dir" | "symlink" | "submodule";
export interface TreeEntry {
  path: string;
  type: TreeEntryType;
  size?: number;
}

/** The checkout's files and folders, depth first, without `.git`; links and submodules not entered. */
export async function editorTree(
  actor: Actor,
  buildId: string,
): Promise<{ commitSha: string; writable: boolean; entries: TreeEntry[]; truncated: boolean }> {
  const build = await editorBuild(actor, buildId, "read");
  const entries: TreeEntry[] = [];
  let truncated = false;
  const walk = async (dir: string, prefix: string): Promise<void> => {
    const children = await readdir(dir, { withFileTypes: true }).catch(() => []);
    children.sort((a, b) => a.name.localeCompare(b.name));
    for (const child of children) {
      if (child.name === ".git") continue;
      if (entries.length >= MAX_TREE_ENTRIES) {
        truncated = true;
        return;
      }
      const path = prefix ? `${prefix}/${child.name}` : child.name;
      const full = join(dir, child.name);
      if (child.isSymbolicLink()) entries.push({ path, type: "symlink" });
      else if (child.isDirectory()) {
        const isSubmodule = await lstat(join(full, ".git")).then(
          () => true,
          () => false,
        );
        entries.push({ path, type: isSubmodule ? "submodule" : "dir" });
        if (!isSubmodule) await walk(full, path);
      } else if (child.isFile()) {
        const size = await lstat(full).then(
          (s) => s.size,
          () => 0,
        );
        entries.push({ path, type: "file", size });
      }
    }
  };
  await walk(build.checkout, "");
  return { commitSha: build.commitSha, writable: build.stage !== "PRODUCTION", entries, truncated };
}

/** Text the editor can show: valid UTF-8 without NUL bytes. */
export function isText(bytes: Buffer): boolean {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

export type EditorFile =
  | { path: string; size: number; binary: false; content: string }
  | { path: string; size: number; binary: true; content: null };

/** One file of the checkout; a binary file comes without its content. */
export async function readEditorFile(actor: Actor, buildId: string, path: string): Promise<EditorFile> {
  const build = await editorBuild(actor, buildId, "read");
  const handle = await openConfined(build.checkout, path, constants.O_RDONLY);
  if (!handle) throw new AppError("not_found", `no such file: ${path}`);
  try {
    const { size } = await handle.stat();
    if (size > MAX_EDITOR_FILE_BYTES) {
      throw new AppError("too_large", `${path} is larger than ${MAX_EDITOR_FILE_BYTES} bytes`);
    }
    const buffer = Buffer.alloc(size);
    const { bytesRead } = await handle.read(buffer, 0, size, 0);
    const bytes = buffer.subarray(0, bytesRead);
    return isText(bytes)
      ? { path, size: bytesRead, binary: false, content: bytes.toString("utf8") }
      : { path, size: bytesRead, binary: true, content: null };
  } finally {
    await handle.close();
  }
}

export const writeFileInput = z.object({
  path: z.string().min(1).max(1024),
  content: z.string(),
});

/** Saves one text file of the checkout (a new one in an existing folder, or over a text file). */
export async function writeEditorFile(
  actor: Actor,
  buildId: string,
  input: z.input<typeof writeFileInput>,
): Promise<{ path: string; size: number }> {
  const { path, content } = parseInput(writeFileInput, input);
  pathSegments(path);
  const bytes = Buffer.from(content, "utf8");
  if (bytes.length > MAX_EDITOR_FILE_BYTES) {
    throw new AppError("too_large", `a file is at most ${MAX_EDITOR_FILE_BYTES} bytes`);
  }
  if (bytes.includes(0)) throw new AppError("invalid_input", "binary content is not saved by the editor");
  const build = await editorBuild(actor, buildId, "write");
  // Not truncated at open: what is there is checked first (a link is refused by O_NOFOLLOW).
  const handle = await openConfined(build.checkout, path, constants.O_RDWR | constants.O_CREAT, 0o644);
  if (!handle) throw new AppError("not_found", `the folder of ${path} does not exist`);
  try {
    const { size } = await handle.stat();
    if (size > 0) {
      const head = Buffer.alloc(Math.min(size, MAX_EDITOR_FILE_BYTES + 1));
      await handle.read(head, 0, head.length, 0);
      if (size > MAX_EDITOR_FILE_BYTES || !isText(head)) {
        throw new AppError("forbidden", `${path} is binary or too large: the editor does not change it`);
      }
    }
    await handle.truncate(0);
    await handle.write(bytes, 0, bytes.length, 0);
  } finally {
    await handle.close();
  }
  return { path, size: bytes.length };
}
