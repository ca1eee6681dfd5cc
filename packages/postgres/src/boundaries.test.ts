import { readdir, readFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

// The package sits right above config: apps, core and backup import it, never the reverse.
const ALLOWED = ["@gantry/config", "pg"];
const root = join(import.meta.dirname, "..");

async function sources(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await sources(path)));
    else if (entry.name.endsWith(".ts")) found.push(path);
  }
  return found;
}

describe("@gantry/postgres's dependencies", () => {
  it("declares only config and pg at run time", async () => {
    const manifest = JSON.parse(await readFile(join(root, "package.json"), "utf8"));
    expect(Object.keys(manifest.dependencies).sort()).toEqual(ALLOWED);
  });

  it("imports no other workspace package and nothing outside its own folder", async () => {
    const offending: string[] = [];
    for (const file of await sources(join(root, "src"))) {
      const text = await readFile(file, "utf8");
      for (const [, spec] of text.matchAll(/from\s+"([^"]+)"/g)) {
        if (!spec) continue;
        const outside = spec.startsWith(".")
          ? relative(join(root, "src"), resolve(dirname(file), spec)).startsWith("..")
          : spec.startsWith("@gantry/") && !ALLOWED.includes(spec);
        if (outside) offending.push(`${file}: ${spec}`);
      }
    }
    expect(offending).toEqual([]);
  });
});
