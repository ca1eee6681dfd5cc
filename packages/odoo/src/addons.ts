// Addons discovery in a checkout: the root and any subfolder that holds module folders
// (folders with a `__manifest__.py`) are addons folders; folders starting with `.` are
// ignored; git submodules (paths given by the caller) are addons folders too, and their
// modules are told apart from the repository's own.
import type { Dirent } from "node:fs";
import { readdir, realpath, stat } from "node:fs/promises";
import { join, posix, relative, resolve, sep } from "node:path";
import { MANIFEST_FILE, type Manifest, readManifest } from "./manifest";

export interface DiscoveredModule {
  /** Technical name: the folder name. */
  name: string;
  /** Folder of the module, relative to the checkout, `/`-separated. */
  path: string;
  /** Addons folder holding it, relative to the checkout (`""` for the root). */
  addonsDir: string;
  fromSubmodule: boolean;
  manifest: Manifest;
}

export interface AddonsDir {
  /** Relative to the checkout, `/`-separated; `""` is the root. */
  path: string;
  fromSubmodule: boolean;
}

export interface AddonsDiscovery {
  /** Repository folders first (root first), then submodule folders; each sorted by path. */
  addonsDirs: AddonsDir[];
  /** Every readable module, in addons-path order. */
  modules: DiscoveredModule[];
  /** Module folders whose manifest could not be read: never silently dropped. */
  errors: { path: string; error: string }[];
  /** The same technical name in two folders: Odoo would take the first in the addons path. */
  duplicates: { name: string; paths: string[] }[];
  /** Submodule paths given by the caller that hold no module (e.g. not initialised). */
  emptySubmodules: string[];
}

export interface DiscoverOptions {
  /** Submodule paths relative to the checkout (as in `.gitmodules`). */
  submodules?: readonly string[];
  /** How deep below the checkout to look for addons folders. */
  maxDepth?: number;
  /** Bound on folders visited, against pathological trees. */
  maxDirectories?: number;
}

export class AddonsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AddonsError";
  }
}

const MODULE_NAME = /^[A-Za-z0-9_]+$/;

function toPosix(path: string): string {
  return path.split(sep).join("/");
}

function normalizeSubmodulePath(path: string): string {
  const clean = posix.normalize(path.replace(/\\/g, "/")).replace(/\/+$/, "");
  if (clean.startsWith("..") || posix.isAbsolute(clean) || clean === ".") {
    throw new AddonsError(`submodule path must be inside the checkout: ${JSON.stringify(path)}`);
  }
  return clean;
}

function isUnder(path: string, folder: string): boolean {
  return path === folder || path.startsWith(`${folder}/`);
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function hasManifest(dir: string): Promise<boolean> {
  try {
    return (await stat(join(dir, MANIFEST_FILE))).isFile();
  } catch {
    return false;
  }
}

/**
 * Walks the checkout. Symbolic links are followed only when they stay inside the checkout,
 * and each real folder is visited once, so link loops and escapes are harmless.
 */
export async function discoverAddons(
  checkoutDir: string,
  options: DiscoverOptions = {},
): Promise<AddonsDiscovery> {
  const root = await realpath(resolve(checkoutDir));
  const submodules = (options.submodules ?? []).map(normalizeSubmodulePath);
  const maxDepth = options.maxDepth ?? 6;
  const maxDirectories = options.maxDirectories ?? 20_000;
  const visited = new Set<string>();
  const modulesByDir = new Map<string, string[]>();
  let count = 0;

  // Returns whether `dir` is a module folder (so its parent is an addons folder).
  async function walk(dir: string, depth: number, again = false): Promise<boolean> {
    // A pushed checkout may hold dangling or unreadable links: they are not folders to walk.
    const real = await realpath(dir).catch(() => undefined);
    if (real === undefined || (visited.has(real) && !again)) return false;
    if (real !== root && !real.startsWith(`${root}${sep}`)) return false;
    visited.add(real);
    count += 1;
    if (count > maxDirectories) throw new AddonsError(`more than ${maxDirectories} folders in the checkout`);
    const rel = toPosix(relative(root, dir));
    if (rel !== "" && (await hasManifest(dir))) return true;
    if (depth >= maxDepth) return false;
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return false;
    }
    const children = entries
      .filter((entry) => !entry.name.startsWith(".") && (entry.isDirectory() || entry.isSymbolicLink()))
      .map((entry) => entry.name)
      .sort();
    const modules: string[] = [];
    for (const name of children) {
      const child = join(dir, name);
      if (!(await isDirectory(child))) continue;
      if (await walk(child, depth + 1)) modules.push(name);
    }
    if (modules.length > 0) modulesByDir.set(rel, modules);
    return false;
  }

  await walk(root, 0);
  // A submodule may sit below a `.`-folder or deeper than maxDepth: walk it explicitly.
  for (const submodule of submodules) {
    const dir = join(root, ...submodule.split("/"));
    if (await isDirectory(dir)) {
      if (await hasManifest(dir)) {
        // A submodule that is itself a module: its parent folder is the addons folder.
        const parent = posix.dirname(submodule) === "." ? "" : posix.dirname(submodule);
        const name = posix.basename(submodule);
        const list = modulesByDir.get(parent) ?? [];
        if (!list.includes(name)) modulesByDir.set(parent, [...list, name].sort());
      } else if (!modulesByDir.has(submodule)) {
        await walk(dir, 0, true);
      }
    }
  }

  const inSubmodule = (path: string): boolean => submodules.some((submodule) => isUnder(path, submodule));
  const dirs = [...modulesByDir.keys()].map((path) => ({ path, fromSubmodule: inSubmodule(path) }));
  const order = (a: AddonsDir, b: AddonsDir): number =>
    Number(a.fromSubmodule) - Number(b.fromSubmodule) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  dirs.sort(order);

  const result: AddonsDiscovery = {
    addonsDirs: [],
    modules: [],
    errors: [],
    duplicates: [],
    emptySubmodules: [],
  };
  const seen = new Map<string, string[]>();
  for (const addonsDir of dirs) {
    for (const name of modulesByDir.get(addonsDir.path) ?? []) {
      const path = addonsDir.path === "" ? name : `${addonsDir.path}/${name}`;
      if (!MODULE_NAME.test(name)) {
        result.errors.push({ path, error: `invalid module name ${JSON.stringify(name)}` });
        continue;
      }
      try {
        const manifest = await readManifest(join(root, ...path.split("/")));
        // A module in a submodule folder counts as the submodule's even when the submodule is the module itself.
        const fromSubmodule = inSubmodule(path);
        result.modules.push({ name, path, addonsDir: addonsDir.path, fromSubmodule, manifest });
        seen.set(name, [...(seen.get(name) ?? []), path]);
      } catch (error) {
        result.errors.push({ path, error: (error as Error).message.replace(`${root}${sep}`, "") });
      }
    }
    result.addonsDirs.push(addonsDir);
  }
  for (const [name, paths] of seen) if (paths.length > 1) result.duplicates.push({ name, paths });
  result.emptySubmodules = submodules.filter(
    (submodule) => !result.modules.some((module) => module.fromSubmodule && isUnder(module.path, submodule)),
  );
  return result;
}

/** The repository's own modules (not those of submodules). */
export function repositoryModules(discovery: Pick<AddonsDiscovery, "modules">): DiscoveredModule[] {
  return discovery.modules.filter((module) => !module.fromSubmodule);
}

export function submoduleModules(discovery: Pick<AddonsDiscovery, "modules">): DiscoveredModule[] {
  return discovery.modules.filter((module) => module.fromSubmodule);
}

export interface Mount {
  /** Folder on the host (absolute). */
  hostDir: string;
  /** Where it appears in the container (absolute, POSIX). */
  mountPoint: string;
}

/**
 * The `--addons-path` entries as the container sees them: each addons folder of the checkout
 * mapped through the longest matching mount, then the image's own addons folders (`extra`).
 */
export function addonsPath(
  checkoutDir: string,
  addonsDirs: readonly AddonsDir[],
  mounts: readonly Mount[],
  extra: readonly string[] = [],
): string[] {
  const sorted = [...mounts].sort((a, b) => b.hostDir.length - a.hostDir.length);
  const paths = addonsDirs.map((dir) => {
    const host = resolve(checkoutDir, ...dir.path.split("/").filter(Boolean));
    const mount = sorted.find(
      (m) => host === resolve(m.hostDir) || host.startsWith(`${resolve(m.hostDir)}${sep}`),
    );
    if (!mount) throw new AddonsError(`addons folder ${host} is under no mount`);
    const rest = toPosix(relative(resolve(mount.hostDir), host));
    return rest === "" ? posix.normalize(mount.mountPoint) : posix.join(mount.mountPoint, rest);
  });
  for (const path of [...paths, ...extra]) {
    if (path.includes(",")) throw new AddonsError(`an addons path may not contain a comma: ${path}`);
  }
  return [...new Set([...paths, ...extra])];
}
