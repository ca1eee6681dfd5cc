import type { CommitCheck } from "@gantry/github";
import { describe, expect, it } from "vitest";
import { checksVerdict } from "./checks";

const run = (name: string, state: CommitCheck["state"]): CommitCheck => ({
  name,
  kind: "check_run",
  state,
  detail: state,
});
const status = (name: string, state: CommitCheck["state"]): CommitCheck => ({
  name,
  kind: "status",
  state,
  detail: state,
});

describe("the checks gate's verdict", () => {
  it("all: every check and status must pass; nothing reported yet waits", () => {
    expect(checksVerdict("ALL", [], []).kind).toBe("pending");
    expect(checksVerdict("ALL", [], [run("tests", "success"), status("lint", "pending")]).kind).toBe(
      "pending",
    );
    expect(checksVerdict("ALL", [], [run("tests", "success"), status("lint", "success")]).kind).toBe(
      "passed",
    );
    expect(checksVerdict("ALL", [], [run("tests", "failure"), status("lint", "pending")])).toMatchObject({
      kind: "failed",
      failed: ["tests"],
    });
  });

  it("leaves Gantry's own statuses out", () => {
    const own = status("gantry/main", "pending");
    expect(checksVerdict("ALL", [], [own, run("tests", "success")])).toMatchObject({ kind: "passed" });
    expect(checksVerdict("ALL", [], [own]).kind).toBe("pending");
  });

  it("named: only those named count; a name not reported yet waits", () => {
    const reported = [run("tests", "success"), run("docs", "failure")];
    expect(checksVerdict("NAMED", ["tests"], reported).kind).toBe("passed");
    const missing = checksVerdict("NAMED", ["tests", "deploy-check"], reported);
    expect(missing).toMatchObject({ kind: "pending" });
    expect(missing.checks.map((c) => [c.name, c.state])).toEqual([
      ["tests", "success"],
      ["deploy-check", "pending"],
    ]);
    expect(checksVerdict("NAMED", ["docs"], reported)).toMatchObject({ kind: "failed", failed: ["docs"] });
  });

  it("none: passes whatever is reported", () => {
    expect(checksVerdict("NONE", [], [run("tests", "failure")]).kind).toBe("passed");
  });
});
