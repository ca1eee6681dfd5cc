import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { changedModules, moduleChecksum, moduleChecksums } from "./checksum";

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "gantry-checksum-"));
  await mkdir(join(root, "acme", "models"), { recursive: true });
  await writeFile(join(root, "acme", "__manifest__.py"), "{'name': 'ACME', 'version': '17.0.1.0.0'}\n");
  await writeFile(join(root, "acme", "models", "project.py"), "x = 1\n");
});
afterEach(() => rm(root, { recursive: true, force: true }));

describe("module checksums", () => {
  it("changes with a file's content, a new file or a rename, and not with compiled or hidden files", async () => {
    const first = await moduleChecksum(join(root, "acme"));
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    await mkdir(join(root, "acme", "models", "__pycache__"));
    await writeFile(join(root, "acme", "models", "__pycache__", "project.cpython-311.pyc"), "bytes");
    await writeFile(join(root, "acme", "models", "project.pyc"), "bytes");
    await writeFile(join(root, "acme", ".editorconfig"), "root = true");
    await writeFile(join(root, "acme", "models", "project.py~"), "backup");
    expect(await moduleChecksum(join(root, "acme"))).toBe(first);

    await writeFile(join(root, "acme", "models", "project.py"), "x = 2\n");
    const edited = await moduleChecksum(join(root, "acme"));
    expect(edited).not.toBe(first);
    await writeFile(join(root, "acme", "models", "project.py"), "x = 1\n");
    expect(await moduleChecksum(join(root, "acme"))).toBe(first);

    await writeFile(join(root, "acme", "models", "task.py"), "");
    expect(await moduleChecksum(join(root, "acme"))).not.toBe(first);
  });

  it("hashes a symlink as its target's name and never reads through it", async () => {
    const outside = join(root, "outside.txt");
    await writeFile(outside, "secret 1");
    await symlink(outside, join(root, "acme", "data.txt"));
    const linked = await moduleChecksum(join(root, "acme"));
    await writeFile(outside, "secret 2");
    expect(await moduleChecksum(join(root, "acme"))).toBe(linked);
  });

  it("names each module's checksum and tells changed from unrecorded modules", async () => {
    await mkdir(join(root, "other"));
    await writeFile(join(root, "other", "__manifest__.py"), "{}");
    const now = await moduleChecksums(root, [
      { name: "acme", path: "acme" },
      { name: "other", path: "other" },
    ]);
    expect(Object.keys(now).sort()).toEqual(["acme", "other"]);
    const recorded = { acme: "0".repeat(64), gone: "1".repeat(64) };
    expect(changedModules(["acme", "other", "gone"], recorded, now)).toEqual({
      changed: ["acme"],
      unrecorded: ["other"],
    });
    expect(changedModules(["acme"], { acme: now.acme as string }, now)).toEqual({
      changed: [],
      unrecorded: [],
    });
  });
});
