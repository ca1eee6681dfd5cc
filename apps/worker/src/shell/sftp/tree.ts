// What an SFTP session sees: a virtual root with one folder per part of the build, each backed
// by a folder on the host. Paths are resolved against "/" (so `..` never climbs above it) and
// then mapped onto a root; anything else does not exist.
import { posix } from "node:path";

export interface Root {
  name: string;
  /** A folder only Gantry writes to, and the steps below it (the tenant's part). */
  base: string;
  steps: readonly string[];
  writable: boolean;
  /** A flat folder showing only these files (the logs the person may read). */
  only?: readonly string[];
  /** Owner of what is written (the files of Odoo's filestore are its user's). */
  owner?: number;
}

export type Target = { top: true; path: string } | { top: false; path: string; root: Root; rest: string[] };

/** The normalized absolute form of a client's path. */
export function normalize(path: string): string {
  return posix.resolve("/", path.replace(/\0/g, ""));
}

/** The root and steps below it that a path names, or null when there is no such file. */
export function resolveTarget(roots: readonly Root[], path: string): Target | null {
  const normalized = normalize(path);
  const [first, ...rest] = normalized.split("/").filter(Boolean);
  if (first === undefined) return { top: true, path: normalized };
  const root = roots.find((candidate) => candidate.name === first);
  if (!root) return null;
  if (root.only && (rest.length > 1 || (rest[0] !== undefined && !root.only.includes(rest[0])))) return null;
  return { top: false, path: normalized, root, rest };
}

/** The root a path falls in, whether or not the file exists (a write refused as such). */
export function rootOf(roots: readonly Root[], path: string): Root | undefined {
  const first = normalize(path).split("/").filter(Boolean)[0];
  return roots.find((root) => root.name === first);
}
