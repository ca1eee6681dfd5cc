// Filestore snapshots and folders changing hands (their copies are made by @gantry/postgres's
// copyFilestore): a failed production update puts its snapshot back, a kept filestore moves
// to the build that takes over its database.
import { mkdir, rename, rm } from "node:fs/promises";
import { dirname } from "node:path";
import { pathExists } from "./path-exists";

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
