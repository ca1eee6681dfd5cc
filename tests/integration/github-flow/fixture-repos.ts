// The fixture Odoo projects as bare git repositories in a folder of the caller's choosing.
import { execFile } from "node:child_process";
import { cp, mkdtemp, readdir, rm, utimes } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const fixtures = new URL("../../fixtures", import.meta.url).pathname;

/**
 * The fixture repositories, written from a fresh copy of the sources: make-repos copies files
 * with `cp -a`, and a branch file with the size and timestamp of main's would look unchanged
 * to git's stat cache; fresh timestamps on the branch layers avoid that.
 */
export async function makeFixtureRepos(out: string): Promise<void> {
  const copy = await mkdtemp(join(tmpdir(), "gantry-fixtures-"));
  try {
    await cp(join(fixtures, "make-repos"), join(copy, "make-repos"));
    await cp(join(fixtures, "projects"), join(copy, "projects"), { recursive: true });
    const later = new Date(Date.now() + 60_000);
    for (const project of await readdir(join(copy, "projects"))) {
      const branches = join(copy, "projects", project, "branches");
      for (const file of await readdir(branches, { recursive: true }).catch(() => [] as string[])) {
        await utimes(join(branches, file), later, later);
      }
    }
    await run(join(copy, "make-repos"), [out]);
  } finally {
    await rm(copy, { recursive: true, force: true });
  }
}
