// What the Editor tab works out from the checkout's tree: which module a file belongs to (the
// nearest folder with a manifest), which language colours it, and which entries show under
// the folders that are open.

export interface TreeEntry {
  path: string;
  type: "file" | "dir" | "symlink" | "submodule";
  size?: number;
}

const manifests = ["__manifest__.py", "__openerp__.py"];

function parentOf(path: string): string | null {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? null : path.slice(0, slash);
}

/** The Odoo module holding `path` (its technical name), or null outside any module. */
export function moduleOf(path: string, files: ReadonlySet<string>): string | null {
  for (let dir = parentOf(path); dir !== null; dir = parentOf(dir)) {
    if (manifests.some((m) => files.has(`${dir}/${m}`))) return dir.slice(dir.lastIndexOf("/") + 1);
  }
  return null;
}

export type Language = "python" | "xml" | "javascript";

export function languageOf(path: string): Language | null {
  const ext = path.slice(path.lastIndexOf(".") + 1).toLowerCase();
  if (ext === "py") return "python";
  if (ext === "xml" || ext === "html" || ext === "svg") return "xml";
  if (ext === "js" || ext === "mjs" || ext === "json" || ext === "ts") return "javascript";
  return null;
}

/** Entries whose every ancestor folder is open (the tree comes depth first from the API). */
export function visibleEntries(entries: readonly TreeEntry[], open: ReadonlySet<string>): TreeEntry[] {
  return entries.filter((entry) => {
    for (let dir = parentOf(entry.path); dir !== null; dir = parentOf(dir)) {
      if (!open.has(dir)) return false;
    }
    return true;
  });
}

export function depthOf(path: string): number {
  return path.split("/").length - 1;
}

export function nameOf(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}
