import { mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SearchRecord, searchLogs } from "./search";

let dir: string;
const file = (name: string, buildId = "b1") => ({
  buildId,
  commitSha: "0123456789abcdef",
  file: name,
  path: join(dir, buildId, name),
});

async function all(records: AsyncGenerator<SearchRecord>): Promise<SearchRecord[]> {
  const out: SearchRecord[] = [];
  for await (const record of records) out.push(record);
  return out;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "log-search-"));
  await import("node:fs/promises").then((fs) => Promise.all(["b1", "b2"].map((b) => fs.mkdir(join(dir, b)))));
  await writeFile(join(dir, "b1", "odoo.log"), "INFO start\nERROR boom in module\ninfo Boom again\n");
  await writeFile(join(dir, "b2", "odoo.log"), `ERROR old boom\n${"x".repeat(3000)}boom\nlast boom`);
  await writeFile(join(dir, "secret"), "boom secret\n");
  await symlink(join(dir, "secret"), join(dir, "b1", "access.log"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("searching a branch's logs", () => {
  it("finds matching lines across builds, case-insensitive, with their numbers", async () => {
    const records = await all(searchLogs([file("odoo.log"), file("odoo.log", "b2")], "BOOM"));
    expect(records).toEqual([
      { build: "b1", commit: "0123456789ab", file: "odoo.log", line: 2, text: "ERROR boom in module" },
      { build: "b1", commit: "0123456789ab", file: "odoo.log", line: 3, text: "info Boom again" },
      { build: "b2", commit: "0123456789ab", file: "odoo.log", line: 1, text: "ERROR old boom" },
      { build: "b2", commit: "0123456789ab", file: "odoo.log", line: 3, text: "last boom" },
      { done: true, matches: 4, truncated: false },
    ]);
  });

  it("does not follow a symlink planted in a logs folder", async () => {
    expect(await all(searchLogs([file("access.log")], "boom"))).toEqual([
      { done: true, matches: 0, truncated: false },
    ]);
  });

  it("stops at the match cap and says so", async () => {
    const records = await all(
      searchLogs([file("odoo.log"), file("odoo.log", "b2")], "boom", {
        maxMatches: 2,
        maxLineChars: 500,
        maxBytes: 1 << 20,
      }),
    );
    expect(records.at(-1)).toEqual({ done: true, matches: 2, truncated: true });
    expect(records).toHaveLength(3);
  });

  it("cuts long lines (a match past the cut is not seen) and stops at the byte budget", async () => {
    const records = await all(
      searchLogs([file("odoo.log", "b2")], "xxxx", { maxMatches: 10, maxLineChars: 100, maxBytes: 1 << 20 }),
    );
    expect(records[0]).toMatchObject({ line: 2, text: "x".repeat(100) });
    const budget = await all(
      searchLogs([file("odoo.log"), file("odoo.log", "b2")], "boom", {
        maxMatches: 10,
        maxLineChars: 100,
        maxBytes: 10,
      }),
    );
    expect(budget.at(-1)).toEqual({ done: true, matches: 0, truncated: true });
  });
});
