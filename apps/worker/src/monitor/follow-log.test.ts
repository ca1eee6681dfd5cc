import { appendFile, mkdtemp, open, rename, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ReadPosition } from "@gantry/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { followLog } from "./follow-log";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "follow-log-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** One follower of `path` whose position lives in memory, as the database would keep it. */
function follower(path: string, maxBytes = 1 << 20) {
  let saved: ReadPosition | null = null;
  return async (): Promise<string[]> => {
    const lines: string[] = [];
    const handle = await open(path, "r");
    try {
      await followLog({
        source: "test",
        handle,
        rotated: { dir, prefix: "access-" },
        maxBytes,
        position: { saved, save: (next) => (saved = next) },
        onLines: (chunk) => {
          lines.push(...chunk);
        },
      });
    } finally {
      await handle.close();
    }
    return lines;
  };
}

describe("following a log", () => {
  it("reads whole lines from where it stopped, leaving a line still being written", async () => {
    const path = join(dir, "a.log");
    await writeFile(path, "one\ntwo\nthr");
    const read = follower(path);
    expect(await read()).toEqual(["one", "two"]);
    expect(await read()).toEqual([]);
    await appendFile(path, "ee\nfour\n");
    expect(await read()).toEqual(["three", "four"]);
  });

  it("reads the rest of a rotated file, then the new one from its start", async () => {
    const path = join(dir, "access.log");
    await writeFile(path, "a1\n");
    const read = follower(path);
    expect(await read()).toEqual(["a1"]);
    await appendFile(path, "a2\n");
    await rename(path, join(dir, "access-2026-12-07T00-00-00.000.log"));
    await writeFile(path, "b1\n");
    expect(await read()).toEqual(["a2", "b1"]);
  });

  it("starts over on a truncated file", async () => {
    const path = join(dir, "t.log");
    await writeFile(path, "x1\nx2\n");
    const read = follower(path);
    expect(await read()).toEqual(["x1", "x2"]);
    await truncate(path, 0);
    await appendFile(path, "y\n");
    expect(await read()).toEqual(["y"]);
  });

  it("skips a backlog past its budget to whole lines, and reads lines longer than a chunk", async () => {
    const path = join(dir, "big.log");
    // Longer than one read (1 MiB), shorter than the longest line kept.
    const long = "z".repeat(1_040_000);
    const text = `${"old line\n".repeat(1000)}${long}\nlast\n`;
    await writeFile(path, text);
    // The budget starts 4 bytes into an old line (450 lines from the end of the old ones).
    const read = follower(path, text.length - (9 * 550 + 4));
    const lines = await read();
    expect(lines.filter((line) => line === "old line")).toHaveLength(449);
    expect(lines.every((line) => line === "old line" || line === long || line === "last")).toBe(true);
    expect(lines.slice(-2)).toEqual([long, "last"]);
  });
});
