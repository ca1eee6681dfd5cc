import { describe, expect, it } from "vitest";
import { upgradeNotice } from "./notify";

const attempt = {
  id: "a1",
  projectId: "p1",
  branchId: "b1",
  kind: "PRODUCTION" as const,
  status: "FAILED",
  fromSeries: "17.0",
  toSeries: "18.0",
  error: "-u all on 18.0 failed",
  failedStep: "update",
  reverted: true,
  project: { name: "ACME" },
  branch: { name: "main" },
};

describe("upgradeNotice", () => {
  it("says a failed production upgrade was put back, with the step, the error and the log's end", () => {
    const notice = upgradeNotice(attempt, "line 1\nline 2");
    expect(notice.subject).toBe("[Gantry] ACME / main: production upgrade to 18.0 failed");
    expect(notice.text).toContain("Production was put back and serves on Odoo 17.0 as before.");
    expect(notice.text).toContain("Step: update\nError: -u all on 18.0 failed");
    expect(notice.text).toContain("/projects/p1/branches/b1/upgrade");
    expect(notice.text.endsWith("line 1\nline 2")).toBe(true);
  });

  it("asks for a person when putting production back failed", () => {
    const notice = upgradeNotice({ ...attempt, reverted: false }, "");
    expect(notice.text).toContain("PUTTING PRODUCTION BACK FAILED");
  });

  it("tells a test upgrade's success and what it keeps", () => {
    const notice = upgradeNotice(
      { ...attempt, kind: "REHEARSAL", status: "SUCCEEDED", branch: { name: "staging" } },
      "",
    );
    expect(notice.subject).toBe("[Gantry] ACME / staging: test upgrade to 18.0 succeeded");
    expect(notice.text).toContain("The upgraded copy is kept");
    expect(notice.text).not.toContain("Error:");
  });
});
