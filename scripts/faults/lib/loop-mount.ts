// A small filesystem of its own for a fault that fills a disk: a file made into ext4 and
// loop-mounted in a temporary folder (needs root). Unmounted and removed whatever happened, so
// a failed trial leaves no mount or loop device behind.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export async function withLoopMount<T>(sizeMb: number, use: (dir: string) => Promise<T>): Promise<T> {
  const base = await mkdtemp(join(tmpdir(), "gantry-fault-disk-"));
  const image = join(base, "disk.img");
  const dir = join(base, "mnt");
  let mounted = false;
  try {
    await writeFile(image, "");
    await truncate(image, sizeMb * 1024 * 1024);
    // No blocks reserved for root: the worker may run as root, and the disk must fill for it too.
    await run("mkfs.ext4", ["-q", "-F", "-m", "0", image]);
    await mkdir(dir);
    await run("mount", ["-o", "loop", image, dir]);
    mounted = true;
    return await use(dir);
  } finally {
    if (mounted) {
      // A process still holding a file there (a killed worker's child) would make it busy:
      // detach it lazily then, the kernel finishes once the last file closes.
      await run("umount", [dir]).catch(() => run("umount", ["-l", dir]));
    }
    await rm(base, { recursive: true, force: true });
  }
}
