// The stage rules of ODOO.md as pure functions: which moves are allowed, what a branch does
// upon new commits by default, and when a pinned Odoo revision expires.
import type { Stage } from "../access";

export type NewCommitBehaviour = "NEW_BUILD" | "UPDATE_PREVIOUS" | "DO_NOTHING";

export interface StageCounts {
  production: number;
  staging: number;
}

export type MoveCheck =
  | { ok: true }
  | {
      ok: false;
      code: "same_stage" | "forbidden_move" | "production_taken" | "staging_full";
      message: string;
    };

export const DEFAULT_STAGING_LIMIT = 3;

/**
 * Development to staging, staging to development, production only to development; a branch
 * becomes production only while the project has none (exactly one production branch), and
 * staging holds at most `stagingLimit` branches.
 */
export function checkMove(from: Stage, to: Stage, counts: StageCounts, stagingLimit: number): MoveCheck {
  if (from === to) return { ok: false, code: "same_stage", message: `The branch is already in ${label(to)}` };
  if (from === "PRODUCTION" && to !== "DEVELOPMENT") {
    return { ok: false, code: "forbidden_move", message: "A production branch can only move to development" };
  }
  if (to === "PRODUCTION" && counts.production > 0) {
    return {
      ok: false,
      code: "production_taken",
      message: "The project already has a production branch: move it to development first",
    };
  }
  if (to === "STAGING" && counts.staging >= stagingLimit) {
    return {
      ok: false,
      code: "staging_full",
      message: `Staging holds at most ${stagingLimit} branch${stagingLimit === 1 ? "" : "es"}`,
    };
  }
  return { ok: true };
}

/** Development builds anew; staging and production update the previous build. */
export function defaultOnNewCommit(stage: Stage): NewCommitBehaviour {
  return stage === "DEVELOPMENT" ? "NEW_BUILD" : "UPDATE_PREVIOUS";
}

/** The behaviour a branch gets after a move: a branch moved back to development does nothing. */
export function onNewCommitAfterMove(from: Stage, to: Stage): NewCommitBehaviour {
  if (to === "DEVELOPMENT" && from !== "DEVELOPMENT") return "DO_NOTHING";
  return defaultOnNewCommit(to);
}

/** What a stage is called in messages. */
export function label(stage: Stage): string {
  return stage.toLowerCase();
}

export const REVISION_PIN_MONTHS = 3;
const WARNING_DAYS = 14;

export type PinState =
  | { kind: "latest" }
  | { kind: "pinned"; expiresAt: Date }
  | { kind: "expiring"; expiresAt: Date; daysLeft: number }
  | { kind: "expired"; expiresAt: Date };

/** A pinned Odoo revision holds for three months; the last two weeks warn, then it lapses. */
export function revisionPinState(revision: string | null, pinnedAt: Date | null, now = new Date()): PinState {
  if (!revision || !pinnedAt) return { kind: "latest" };
  const expiresAt = new Date(pinnedAt);
  expiresAt.setUTCMonth(expiresAt.getUTCMonth() + REVISION_PIN_MONTHS);
  const msLeft = expiresAt.getTime() - now.getTime();
  if (msLeft <= 0) return { kind: "expired", expiresAt };
  const daysLeft = Math.ceil(msLeft / 86_400_000);
  return daysLeft <= WARNING_DAYS ? { kind: "expiring", expiresAt, daysLeft } : { kind: "pinned", expiresAt };
}

/** Whether a push creates a build: never for "do nothing", and never for a deleted branch. */
export function buildOnPush(behaviour: NewCommitBehaviour): "new" | "update" | null {
  if (behaviour === "NEW_BUILD") return "new";
  if (behaviour === "UPDATE_PREVIOUS") return "update";
  return null;
}
