// Filestore copies and snapshots. Odoo's filestore files are content-addressed
// (`xx/<sha1>`) and never modified in place (a change writes a new file, garbage collection
// unlinks), so a tree of hard links is a full, independent copy that costs only directory
// entries: staging copies production's files this way, and production's rollback snapshot
// is one too. Across file systems, where links are impossible, the files are copied.
import { execFile } from "node:child_process";
import { chmod, mkdir, readdir, rename, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { pathExists } from "./path-exists";

const run = promisify(execFile);

/**
 * `to` becomes a copy of the folder `from` made of hard links (or plain copies across file
 * systems). Ownership and modes are kept, so Odoo's user can still write into the copy.
 * Returns false when there is nothing to copy.
 */
export async function linkCopy(from: string, to: string): Promise<{ copied: boolean; linked: boolean }> {
  if (!(await pathExists(from))) return { copied: false, linked: false };
  await rm(to, { recursive: true, force: true });
  await mkdir(dirname(to), { recursive: true });
  try {
    await run("cp", ["-al", "--", from, to], { maxBuffer: 1024 * 1024 });
    await keepWritable(to);
    return { copied: true, linked: true };
  } catch (error) {
    if (
      !/cross-device|Invalid cross-device link|EXDEV/i.test(
        String((error as { stderr?: string }).stderr ?? error),
      )
    )
      throw error;
    await rm(to, { recursive: true, force: true });
    await run("cp", ["-a", "--", from, to], { maxBuffer: 1024 * 1024 });
    await keepWritable(to);
    return { copied: true, linked: false };
  }
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

/** Puts a snapshot back in place of the live folder (both on the same file system). */
export async function restoreSnapshot(snapshot: string, live: string): Promise<void> {
  const aside = `${live}.failed-${Date.now()}`;
  if (await pathExists(live)) await rename(live, aside);
  if (await pathExists(snapshot)) await rename(snapshot, live);
  await rm(aside, { recursive: true, force: true });
}

/** Moves a folder (a kept filestore changing hands), replacing what was at the target. */
export async function moveFolder(from: string, to: string): Promise<boolean> {
  if (!(await pathExists(from))) return false;
  await rm(to, { recursive: true, force: true });
  await mkdir(dirname(to), { recursive: true });
  await rename(from, to);
  return true;
}
