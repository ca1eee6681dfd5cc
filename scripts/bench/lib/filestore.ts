// A bench's filestore: `count` files of 1-64 KB in Odoo's <xx>/<sha> layout, made once under
// `dir` (a marker in `markerDir` says it is complete), or a given one (a real Odoo's) as is.
import { randomBytes } from "node:crypto";
import { mkdir, readdir, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";

export interface BenchFilestore {
  dir: string;
  bytes: number;
  count: number;
}

export async function ensureFilestore(opts: {
  count: number;
  /** A filestore to measure instead (empty: make one). */
  given: string;
  dir: string;
  markerDir: string;
}): Promise<BenchFilestore> {
  const dir = opts.given || opts.dir;
  const marker = join(opts.markerDir, `filestore-${opts.count}.done`);
  if (!opts.given && !(await stat(marker).catch(() => undefined))) {
    await rm(dir, { recursive: true, force: true });
    for (let i = 0; i < opts.count; i++) {
      // 1-64 KB, mostly incompressible like the images and PDFs a filestore holds.
      const data = randomBytes(1024 + ((i * 7919) % (63 * 1024)));
      const name = randomBytes(20).toString("hex");
      await mkdir(join(dir, name.slice(0, 2)), { recursive: true });
      await writeFile(join(dir, name.slice(0, 2), name), data);
    }
    await writeFile(marker, "");
  }
  // Every level: a real Odoo filestore also holds its checklist/<xx>/ entries.
  let bytes = 0;
  let files = 0;
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    bytes += (await stat(join(entry.parentPath, entry.name))).size;
    files += 1;
  }
  return { dir, bytes, count: files };
}
