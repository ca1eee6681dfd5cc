// The one Redis lock (packages/queue lock.ts) against the real Redis: one holder at a time, a
// waiter gets it once released, a caller not in its turn lets it go, a waiter gives up on abort,
// and the branch lock of builds, backups and upgrades is one key per branch.
import { branchLockName, lockKey, tryLock, waitLock } from "@gantry/queue";
import { describe, expect, it } from "vitest";
import { perTestQueueContext, waitFor } from "./support";

const queueContext = perTestQueueContext();

describe("the Redis lock", () => {
  it("has one holder at a time; a waiter takes it once it is released", async () => {
    const name = branchLockName("b1");
    const held = await waitLock(queueContext(), name, AbortSignal.timeout(5_000));
    expect(await queueContext().redis().get(lockKey(queueContext(), "branch:b1"))).toBeTruthy();
    expect(await tryLock(queueContext(), name)).toBeNull();
    // Another branch is another lock.
    const other = await tryLock(queueContext(), branchLockName("b2"));
    expect(other).not.toBeNull();
    await other?.release();

    let waited = 0;
    let got = false;
    const waiter = waitLock(queueContext(), name, AbortSignal.timeout(10_000), {
      onWait: () => {
        waited += 1;
      },
    }).then((lock) => {
      got = true;
      return lock;
    });
    await waitFor("the waiter to wait", async () => (waited > 0 ? true : undefined));
    expect(got).toBe(false);
    await held.release();
    const second = await waiter;
    expect(waited).toBe(1);
    expect(await tryLock(queueContext(), name)).toBeNull();
    await second.release();
    expect(await queueContext().redis().get(lockKey(queueContext(), name))).toBeNull();
  });

  it("is let go while it is not the caller's turn, and taken when it is", async () => {
    let turn = false;
    let asked = 0;
    const lock = waitLock(queueContext(), "turns", AbortSignal.timeout(10_000), {
      inTurn: async () => {
        asked += 1;
        return turn;
      },
    });
    await waitFor("the turn to be asked twice", async () => (asked >= 2 ? true : undefined));
    // Not its turn: the lock stays free for others meanwhile.
    const other = await tryLock(queueContext(), "turns");
    expect(other).not.toBeNull();
    await other?.release();
    turn = true;
    const held = await lock;
    expect(await tryLock(queueContext(), "turns")).toBeNull();
    await held.release();
  });

  it("stops waiting when its signal aborts", async () => {
    const held = await waitLock(queueContext(), "busy", AbortSignal.timeout(5_000));
    const controller = new AbortController();
    const waiter = waitLock(queueContext(), "busy", controller.signal);
    controller.abort(new Error("cancelled"));
    await expect(waiter).rejects.toThrow(/cancelled/);
    await held.release();
  });

  it("a released lock of an earlier holder is not released again by a stale handle", async () => {
    const first = await waitLock(queueContext(), "stale", AbortSignal.timeout(5_000));
    await first.release();
    const second = await waitLock(queueContext(), "stale", AbortSignal.timeout(5_000));
    await first.release();
    expect(await tryLock(queueContext(), "stale")).toBeNull();
    await second.release();
  });
});
