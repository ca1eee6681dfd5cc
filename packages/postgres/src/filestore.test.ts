import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { copyFilestore } from "./filestore";

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "filestore-copy-"));
  await mkdir(join(root, "from", "ab"), { recursive: true });
  await writeFile(join(root, "from", "ab", "abcdef"), "content");
});
afterEach(() => rm(root, { recursive: true, force: true }));

describe("copyFilestore", () => {
  it("links the files by default: the same inodes, an independent tree", async () => {
    const result = await copyFilestore(join(root, "from"), join(root, "to"));
    expect(result).toEqual({ copied: true, linked: true });
    const [a, b] = await Promise.all([
      stat(join(root, "from", "ab", "abcdef")),
      stat(join(root, "to", "ab", "abcdef")),
    ]);
    expect(b.ino).toBe(a.ino);
    await rm(join(root, "to", "ab", "abcdef"));
    expect(await readFile(join(root, "from", "ab", "abcdef"), "utf8")).toBe("content");
  });

  it("copies the files when asked for plain copies", async () => {
    const result = await copyFilestore(join(root, "from"), join(root, "to"), { links: false });
    expect(result).toEqual({ copied: true, linked: false });
    const [a, b] = await Promise.all([
      stat(join(root, "from", "ab", "abcdef")),
      stat(join(root, "to", "ab", "abcdef")),
    ]);
    expect(b.ino).not.toBe(a.ino);
  });

  it("replaces an existing copy, or refuses when told to", async () => {
    await mkdir(join(root, "to"));
    await writeFile(join(root, "to", "stale"), "x");
    await expect(copyFilestore(join(root, "from"), join(root, "to"), { replace: false })).rejects.toThrow(
      /already exists/,
    );
    await copyFilestore(join(root, "from"), join(root, "to"));
    await expect(stat(join(root, "to", "stale"))).rejects.toThrow();
  });

  it("makes nothing from a missing folder, or an empty folder when asked", async () => {
    expect(await copyFilestore(join(root, "none"), join(root, "to"))).toEqual({
      copied: false,
      linked: false,
    });
    await expect(stat(join(root, "to"))).rejects.toThrow();
    await copyFilestore(join(root, "none"), join(root, "to"), { emptyWhenMissing: true });
    expect((await stat(join(root, "to"))).isDirectory()).toBe(true);
  });
});
