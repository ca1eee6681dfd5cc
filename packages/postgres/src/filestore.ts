// Copies of an Odoo filestore, the files that go with a database. Odoo's filestore files are
// content-addressed (`xx/<sha1>`) and never modified in place (a change writes a new file,
// garbage collection unlinks), so a tree of hard links is a full, independent copy that costs
// only directory entries: staging copies production's files this way, and production's
// rollback snapshot is one too. Across file systems, where links are impossible, the files
// are copied; a caller may also ask for plain copies outright.
import { execFile } from "node:child_process";
import { chmod, mkdir, readdir, rm, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface FilestoreCopyOptions {
  /** Hard links where possible (the default), or plain copies of every file. */
  links?: boolean;
  /** An existing `to` is replaced (the default), or the copy is refused. */
  replace?: boolean;
  /** With no `from` folder: no copy (the default), or an empty folder at `to`. */
  emptyWhenMissing?: boolean;
}

export interface FilestoreCopy {
  copied: boolean;
  linked: boolean;
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * `to` becomes a copy of the folder `from`, made of hard links or plain copies. Ownership and
 * modes are kept (`cp -a`), so Odoo's user can still write into the copy.
 */
export async function copyFilestore(
  from: string,
  to: string,
  options: FilestoreCopyOptions = {},
): Promise<FilestoreCopy> {
  const { links = true, replace = true, emptyWhenMissing = false } = options;
  if (!replace && (await exists(to))) throw new Error(`${to} already exists`);
  if (!(await isDirectory(from))) {
    if (!emptyWhenMissing) return { copied: false, linked: false };
    await mkdir(to, { recursive: true });
    return { copied: false, linked: false };
  }
  await rm(to, { recursive: true, force: true });
  await mkdir(dirname(to), { recursive: true });
  if (links) {
    try {
      await run("cp", ["-al", "--", from, to], { maxBuffer: 1024 * 1024 });
      await keepWritable(to);
      return { copied: true, linked: true };
    } catch (error) {
      const stderr = String((error as { stderr?: string }).stderr ?? error);
      if (!/cross-device|Invalid cross-device link|EXDEV/i.test(stderr)) throw error;
      await rm(to, { recursive: true, force: true });
    }
  }
  await run("cp", ["-a", "--", from, to], { maxBuffer: 1024 * 1024 });
  await keepWritable(to);
  return { copied: true, linked: false };
}

/**
 * Run as root, `cp -a` keeps the odoo user's ownership; otherwise the new folders belong to
 * Gantry's user, and Odoo (uid 101) must still be able to add files to them.
 */
async function keepWritable(dir: string): Promise<void> {
  if (process.getuid?.() === 0) return;
  await chmod(dir, 0o777);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) await keepWritable(join(dir, entry.name));
  }
}
