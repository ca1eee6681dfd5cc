import { describe, expect, it } from "vitest";
import { flakyGroups } from "./flaky";

const run = (buildId: string, ...groups: string[]) => ({ buildId, groupIds: new Set(groups) });

describe("flakyGroups", () => {
  it("flags a group seen on some runs of a commit but not all", () => {
    expect(flakyGroups([run("a"), run("b", "fail")])).toEqual(new Set(["fail"]));
    expect(flakyGroups([run("a", "x", "fail"), run("b", "x"), run("c", "x", "fail")])).toEqual(
      new Set(["fail"]),
    );
  });

  it("does not flag a group seen on every run: a test that always fails is broken, not flaky", () => {
    expect(flakyGroups([run("a", "fail"), run("b", "fail")])).toEqual(new Set());
  });

  it("needs two runs to say anything", () => {
    expect(flakyGroups([run("a", "fail")])).toEqual(new Set());
    expect(flakyGroups([])).toEqual(new Set());
  });
});
