import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ageInDays,
  applyRetention,
  type BackupKind,
  keepDaysByKind,
  MAX_MANUAL_BACKUPS_PER_DAY,
  manualBackupAllowed,
  type RetainedBackup,
} from "./retention";

const DAY = 86_400_000;
const start = Date.UTC(2024, 0, 1);

/** Two years of daily backups (some days missed, random hours) and random other backups. */
const history = fc
  .record({
    missed: fc.array(fc.integer({ min: 0, max: 729 }), { maxLength: 60 }),
    hours: fc.array(fc.integer({ min: 0, max: DAY - 1 }), { minLength: 730, maxLength: 730 }),
    others: fc.array(
      fc.record({
        day: fc.integer({ min: 0, max: 729 }),
        ms: fc.integer({ min: 0, max: DAY - 1 }),
        kind: fc.constantFrom<BackupKind>("manual", "update", "upgrade", "import"),
      }),
      { maxLength: 80 },
    ),
    verifiedRate: fc.integer({ min: 0, max: 10 }),
    seed: fc.integer(),
    nowOffset: fc.integer({ min: 0, max: DAY - 1 }),
  })
  .map(({ missed, hours, others, verifiedRate, seed, nowOffset }) => {
    const skip = new Set(missed);
    const backups: RetainedBackup[] = [];
    let s = seed;
    const verified = () => {
      s = (s * 1103515245 + 12345) & 0x7fffffff;
      return s % 10 < verifiedRate;
    };
    for (let d = 0; d < 730; d++) {
      if (skip.has(d)) continue;
      backups.push({
        id: `d${d}`,
        createdAt: new Date(start + d * DAY + hours[d]!),
        kind: "daily",
        verified: verified(),
      });
    }
    for (const [i, o] of others.entries()) {
      backups.push({
        id: `o${i}`,
        createdAt: new Date(start + o.day * DAY + o.ms),
        kind: o.kind,
        verified: verified(),
      });
    }
    return { backups, now: new Date(start + 729 * DAY + nowOffset) };
  });

/** The schedule written independently: a daily backup stays iff no newer one shares its slot. */
function expectedKept(backups: RetainedBackup[], now: Date): Set<string> {
  const slotOf = (b: RetainedBackup) => {
    const age = ageInDays(b.createdAt, now);
    if (age > 124 || b.createdAt > now) return undefined;
    if (age < 7) return `day ${age}`;
    if (age < 35) return `week ${Math.floor((age - 7) / 7)}`;
    return `month ${Math.floor((age - 35) / 30)}`;
  };
  const kept = new Set<string>();
  for (const b of backups) {
    if (b.createdAt > now) kept.add(b.id);
    else if (b.kind === "daily") {
      const slot = slotOf(b);
      if (
        slot &&
        !backups.some((o) => o.kind === "daily" && o !== b && slotOf(o) === slot && o.createdAt > b.createdAt)
      )
        kept.add(b.id);
    } else if (now.getTime() - b.createdAt.getTime() < keepDaysByKind[b.kind] * DAY) kept.add(b.id);
  }
  const verified = backups
    .filter((b) => b.verified)
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0];
  if (verified) kept.add(verified.id);
  return kept;
}

describe("applyRetention", () => {
  it("keeps exactly the schedule over two years of backups", () => {
    fc.assert(
      fc.property(history, ({ backups, now }) => {
        const decision = applyRetention(backups, now);
        const kept = new Set(decision.keep.keys());
        expect(kept).toEqual(expectedKept(backups, now));
        expect(decision.delete.length + kept.size).toBe(backups.length);
        const automatic = backups.filter(
          (b) => b.kind === "daily" && kept.has(b.id) && decision.keep.get(b.id) !== "newest-verified",
        );
        expect(automatic.length).toBeLessThanOrEqual(14);
        const newestVerified = backups
          .filter((b) => b.verified)
          .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0];
        if (newestVerified) expect(kept.has(newestVerified.id)).toBe(true);
        const again = applyRetention(
          backups.filter((b) => kept.has(b.id)),
          now,
        );
        expect(new Set(again.keep.keys())).toEqual(kept);
      }),
      { numRuns: 60 },
    );
  });

  it("keeps 14 automatic backups after a long daily history", () => {
    const backups: RetainedBackup[] = Array.from({ length: 400 }, (_, d) => ({
      id: `d${d}`,
      createdAt: new Date(start + d * DAY + 3600_000),
      kind: "daily" as const,
      verified: false,
    }));
    const decision = applyRetention(backups, new Date(start + 399 * DAY + 7200_000));
    expect(decision.keep.size).toBe(14);
    expect([...decision.keep.values()].sort()).toEqual([
      ...Array(7).fill("daily"),
      ...Array(3).fill("monthly"),
      ...Array(4).fill("weekly"),
    ]);
  });

  it("never deletes the newest verified backup, however old", () => {
    const old: RetainedBackup = { id: "old", createdAt: new Date(start), kind: "daily", verified: true };
    const decision = applyRetention([old], new Date(start + 1000 * DAY));
    expect(decision.keep.get("old")).toBe("newest-verified");
  });
});

describe("manualBackupAllowed", () => {
  it("allows five a day and refuses the sixth with a message", () => {
    for (let n = 0; n < MAX_MANUAL_BACKUPS_PER_DAY; n++) expect(manualBackupAllowed(n).allowed).toBe(true);
    const sixth = manualBackupAllowed(5);
    expect(sixth.allowed).toBe(false);
    if (!sixth.allowed) expect(sixth.message).toMatch(/5 manual backups a day/);
  });
});
