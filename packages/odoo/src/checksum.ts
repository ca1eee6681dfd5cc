// A module's checksum: one SHA-256 over the relative path and content of every file of its
// folder, so that a module whose code changed without a version bump can be told apart, as
// click-odoo-update does. Compiled and editor files (__pycache__, *.pyc, *.pyo, dotfiles, *~,
// *.swp) do not count. The checkout is the tenant's: symlinks are hashed as their target's
// text, never followed, and a folder with more than MAX_FILES files gets no checksum.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { lstat, readdir, readlink } from "node:fs/promises";
import { join } from "node:path";

const MAX_FILES = 20_000;

function ignored(name: string): boolean {
  return (
    name.startsWith(".") ||
    name === "__pycache__" ||
    name.endsWith(".pyc") ||
    name.endsWith(".pyo") ||
    name.endsWith("~") ||
    name.endsWith(".swp")
  );
}

/** Relative `/`-separated paths of the files and symlinks below `dir`, sorted; null past the cap. */
async function filesBelow(dir: string): Promise<string[] | null> {
  const found: string[] = [];
  const walk = async (relative: string): Promise<boolean> => {
    const entries = await readdir(join(dir, relative), { withFileTypes: true });
    for (const entry of entries) {
      if (ignored(entry.name)) continue;
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!(await walk(path))) return false;
      } else if (entry.isFile() || entry.isSymbolicLink()) {
        found.push(path);
        if (found.length > MAX_FILES) return false;
      }
    }
    return true;
  };
  if (!(await walk(""))) return null;
  // Byte order, not locale order: the same files give the same checksum on every machine.
  return found.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

async function hashFile(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** The module folder's checksum (hex), or null when it has too many files to be worth one. */
export async function moduleChecksum(dir: string): Promise<string | null> {
  const files = await filesBelow(dir);
  if (files === null) return null;
  const hash = createHash("sha256");
  for (const file of files) {
    const full = join(dir, file);
    const info = await lstat(full);
    const content = info.isSymbolicLink() ? `link:${await readlink(full)}` : await hashFile(full);
    hash.update(`${file}\0${content}\n`);
  }
  return hash.digest("hex");
}

/** Checksums of modules by name, their folders relative to `root`. */
export async function moduleChecksums(
  root: string,
  modules: readonly { name: string; path: string }[],
): Promise<Record<string, string>> {
  const sums: Record<string, string> = {};
  for (const module of modules) {
    const sum = await moduleChecksum(join(root, module.path));
    if (sum !== null) sums[module.name] = sum;
  }
  return sums;
}

export interface ChangedModules {
  /** Modules whose recorded checksum differs from their files now. */
  changed: string[];
  /** Modules with no recorded checksum: their files now become the reference. */
  unrecorded: string[];
}

/** Which of `modules` changed between `recorded` (what the database was last updated from) and `now`. */
export function changedModules(
  modules: readonly string[],
  recorded: Readonly<Record<string, string>>,
  now: Readonly<Record<string, string>>,
): ChangedModules {
  const changed: string[] = [];
  const unrecorded: string[] = [];
  for (const name of modules) {
    const before = recorded[name];
    const current = now[name];
    if (current === undefined) continue;
    if (before === undefined) unrecorded.push(name);
    else if (before !== current) changed.push(name);
  }
  return { changed, unrecorded };
}
