import { mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ifExists } from "./if-exists";

const dir = await mkdtemp(join(tmpdir(), "if-exists-"));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("ifExists", () => {
  it("returns the value when the path exists", async () => {
    await writeFile(join(dir, "a"), "x");
    expect(await ifExists(readdir(dir))).toEqual(["a"]);
  });

  it("returns undefined when the path does not exist", async () => {
    expect(await ifExists(stat(join(dir, "missing")))).toBeUndefined();
  });

  it("lets any other failure through", async () => {
    await expect(ifExists(readdir(join(dir, "a")))).rejects.toMatchObject({ code: "ENOTDIR" });
  });
});
