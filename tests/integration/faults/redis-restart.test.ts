// The fault suite's short version: Redis (a private one, append-only file on) restarted while
// a worker runs 2 jobs and 30 wait; none may be lost. scripts/faults/run.ts runs many.
import { describe, expect, it } from "vitest";
import { formatTally, newTally, violations } from "../../../scripts/faults/lib/tally";
import { redisRestartTrial } from "../../../scripts/faults/redis-restart";

describe("the fault suite", () => {
  it("loses no job when Redis restarts with 30 queued and 2 running", async () => {
    const tally = newTally("redis-restart");
    await redisRestartTrial(tally);
    console.log(formatTally(tally));
    expect(tally.faults).toBe(1);
    expect(violations(tally)).toEqual([]);
  }, 300_000);
});
