import type { Dirent } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { isStorableFilestorePath } from "./entries";

export interface FilestoreListing {
  /** Paths relative to the filestore root, with `/`, sorted. */
  files: string[];
  symlinksSkipped: number;
  /** Sockets, fifos, devices and names a restore would refuse. */
  otherSkipped: string[];
}

/**
 * Lists a filestore's regular files (Odoo's `xx/sha1` layout, any depth). Symlinks are never
 * followed: a link could point anywhere on the host, so it is counted and left out.
 */
export async function listFilestore(root: string): Promise<FilestoreListing> {
  const listing: FilestoreListing = { files: [], symlinksSkipped: 0, otherSkipped: [] };
  async function walk(relative: string): Promise<void> {
    let entries: Dirent[];
    try {
      entries = await readdir(join(root, relative), { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT" && relative === "") return;
      throw error;
    }
    for (const entry of entries) {
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isSymbolicLink()) listing.symlinksSkipped++;
      else if (entry.isDirectory()) await walk(path);
      else if (entry.isFile() && isStorableFilestorePath(path)) listing.files.push(path);
      else listing.otherSkipped.push(path);
    }
  }
  await walk("");
  listing.files.sort();
  return listing;
}
