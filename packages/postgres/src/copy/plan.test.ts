import { describe, expect, it } from "vitest";
import { planCopy, planStreams } from "./plan";

describe("the streams of a copy", () => {
  it("large tables get their own stream, largest first; the rest share one", () => {
    const plan = planStreams(
      [
        { name: "small_a", bytes: 10 },
        { name: "big", bytes: 5000 },
        { name: "bigger", bytes: 9000 },
        { name: "small_b", bytes: 999 },
      ],
      1000,
    );
    expect(plan).toEqual({ large: ["bigger", "big"], small: ["small_a", "small_b"] });
  });

  it("a threshold of zero streams every table on its own", () => {
    expect(planStreams([{ name: "t", bytes: 0 }], 0)).toEqual({ large: ["t"], small: [] });
  });
});

describe("the tasks of a copy", () => {
  // 1 and 2 large, 3 and 4 small; 2 is the largest.
  const tables = [
    { oid: 1, name: "partner", bytes: 5000 },
    { oid: 2, name: "message", bytes: 9000 },
    { oid: 3, name: "users", bytes: 10 },
    { oid: 4, name: "config", bytes: 20 },
  ];
  const plan = planCopy(
    tables,
    [
      { id: 10, kind: "key", table: 1, exclusive: true },
      { id: 11, kind: "key", table: 1, exclusive: false },
      { id: 12, kind: "key", table: 2, exclusive: true },
      { id: 13, kind: "key", table: 3, exclusive: true },
      { id: 14, kind: "key", table: 4, exclusive: true },
      { id: 20, kind: "foreign-key", table: 2, references: 1 },
      { id: 21, kind: "foreign-key", table: 1, references: 3 },
      { id: 22, kind: "foreign-key", table: 4, references: 3 },
      { id: 30, kind: "other" },
      // A key of something that is not a copied table (a materialized view's index).
      { id: 31, kind: "key", table: 99, exclusive: false },
    ],
    { jobs: 2, threshold: 1000 },
  );
  const byId = new Map(plan.map((task) => [task.id, task]));

  it("copies rows first, longest first, the small tables' stream by its size", () => {
    expect(plan.slice(0, 3).map((t) => [t.id, t.step])).toEqual([
      ["rows:2", { kind: "rows", table: "message" }],
      ["rows:1", { kind: "rows", table: "partner" }],
      ["rows:small", { kind: "rows", table: null }],
    ]);
    expect(plan.slice(0, 3).every((t) => t.after.length === 0)).toBe(true);
  });

  it("builds a large table's keys once its own rows are in, each alone, locking as PostgreSQL does", () => {
    expect(byId.get("key:10")).toMatchObject({ after: ["rows:1"], exclusive: [1], shared: [] });
    expect(byId.get("key:11")).toMatchObject({ after: ["rows:1"], exclusive: [], shared: [1] });
    expect(byId.get("key:12")).toMatchObject({ after: ["rows:2"], step: { entries: [12] } });
  });

  it("groups the small tables' keys after their stream", () => {
    const groups = plan.filter((t) => t.id.startsWith("small-keys:"));
    expect(groups.map((t) => t.step)).toEqual([
      { kind: "indexes", entries: [13], jobs: 1 },
      { kind: "indexes", entries: [14], jobs: 1 },
    ]);
    expect(groups.every((t) => t.after.join() === "rows:small")).toBe(true);
  });

  it("adds a foreign key once both tables have their rows and keys", () => {
    expect(new Set(byId.get("fk:20")?.after)).toEqual(
      new Set(["rows:2", "rows:1", "key:12", "key:10", "key:11"]),
    );
    expect(byId.get("fk:20")?.exclusive).toEqual([2, 1]);
    expect(new Set(byId.get("fk:21")?.after)).toEqual(
      new Set(["rows:1", "rows:small", "key:10", "key:11", "small-keys:0", "small-keys:1"]),
    );
    expect(byId.get("small-foreign-keys")).toMatchObject({ step: { kind: "foreign keys", entries: [22] } });
  });

  it("restores the rest with N jobs after everything else", () => {
    const last = plan.at(-1)!;
    expect(last.step).toEqual({ kind: "post-data", entries: [30, 31], jobs: 2 });
    expect(new Set(last.after)).toEqual(new Set(plan.slice(0, -1).map((t) => t.id)));
  });
});
