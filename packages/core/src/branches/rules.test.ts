import { describe, expect, it } from "vitest";
import { type Stage, stages } from "../access";
import { buildOnPush, checkMove, defaultOnNewCommit, onNewCommitAfterMove, revisionPinState } from "./rules";

const allowed: Array<[Stage, Stage]> = [
  ["DEVELOPMENT", "STAGING"],
  ["STAGING", "DEVELOPMENT"],
  ["PRODUCTION", "DEVELOPMENT"],
  ["DEVELOPMENT", "PRODUCTION"],
  ["STAGING", "PRODUCTION"],
];
const empty = { production: 0, staging: 0 };

describe("checkMove", () => {
  for (const from of stages) {
    for (const to of stages) {
      const expected = allowed.some(([f, t]) => f === from && t === to);
      it(`${expected ? "allows" : "refuses"} ${from} -> ${to} when there is room`, () => {
        const result = checkMove(from, to, empty, 3);
        expect(result.ok).toBe(expected);
        if (!result.ok) expect(result.code).toBe(from === to ? "same_stage" : "forbidden_move");
      });
    }
  }

  it("keeps production unique", () => {
    for (const from of ["DEVELOPMENT", "STAGING"] as const) {
      const result = checkMove(from, "PRODUCTION", { production: 1, staging: 0 }, 3);
      expect(result).toMatchObject({ ok: false, code: "production_taken" });
    }
  });

  it("enforces the staging limit, and only it", () => {
    expect(checkMove("DEVELOPMENT", "STAGING", { production: 1, staging: 2 }, 3).ok).toBe(true);
    expect(checkMove("DEVELOPMENT", "STAGING", { production: 1, staging: 3 }, 3)).toMatchObject({
      ok: false,
      code: "staging_full",
    });
    expect(checkMove("DEVELOPMENT", "STAGING", { production: 0, staging: 0 }, 0).ok).toBe(false);
    expect(checkMove("STAGING", "DEVELOPMENT", { production: 0, staging: 9 }, 1).ok).toBe(true);
  });
});

describe("behaviour upon new commits", () => {
  it("has the Odoo.sh defaults", () => {
    expect(defaultOnNewCommit("DEVELOPMENT")).toBe("NEW_BUILD");
    expect(defaultOnNewCommit("STAGING")).toBe("UPDATE_PREVIOUS");
    expect(onNewCommitAfterMove("STAGING", "DEVELOPMENT")).toBe("DO_NOTHING");
    expect(onNewCommitAfterMove("PRODUCTION", "DEVELOPMENT")).toBe("DO_NOTHING");
    expect(onNewCommitAfterMove("DEVELOPMENT", "STAGING")).toBe("UPDATE_PREVIOUS");
    expect(buildOnPush("DO_NOTHING")).toBeNull();
    expect(buildOnPush("NEW_BUILD")).toBe("new");
  });
});

describe("revisionPinState", () => {
  const pinnedAt = new Date("2026-01-15T00:00:00Z");
  it("expires three months after pinning, warning in the last two weeks", () => {
    expect(revisionPinState(null, null).kind).toBe("latest");
    expect(revisionPinState("abc", pinnedAt, new Date("2026-02-01T00:00:00Z")).kind).toBe("pinned");
    const warn = revisionPinState("abc", pinnedAt, new Date("2026-04-10T00:00:00Z"));
    expect(warn).toMatchObject({ kind: "expiring", daysLeft: 5 });
    expect(revisionPinState("abc", pinnedAt, new Date("2026-04-15T00:00:00Z")).kind).toBe("expired");
  });
});
