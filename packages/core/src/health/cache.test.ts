import { describe, expect, it } from "vitest";
import { singleFlightCache } from "./cache";

/** A computation whose rounds are counted and finished by hand. */
function rounds() {
  const pending: ((value: number) => void)[] = [];
  let started = 0;
  const compute = () =>
    new Promise<number>((resolve) => {
      started += 1;
      pending.push(resolve);
    });
  return { compute, started: () => started, finish: (value: number) => pending.shift()?.(value) };
}

describe("single-flight cache", () => {
  it("makes one round for a burst of callers, then serves it until it is ttl old", async () => {
    let clock = 1000;
    const r = rounds();
    const get = singleFlightCache(
      r.compute,
      () => 5000,
      () => clock,
    );
    const burst = Array.from({ length: 50 }, () => get());
    expect(r.started()).toBe(1);
    r.finish(7);
    expect(await Promise.all(burst)).toEqual(Array(50).fill(7));
    clock += 4999;
    expect(await get()).toBe(7);
    expect(r.started()).toBe(1);
    clock += 1;
    const next = get();
    expect(r.started()).toBe(2);
    r.finish(8);
    expect(await next).toBe(8);
  });

  it("computes on every call with a ttl of 0", async () => {
    const r = rounds();
    const get = singleFlightCache(r.compute, () => 0);
    const a = get();
    const b = get();
    expect(r.started()).toBe(2);
    r.finish(1);
    r.finish(2);
    expect([await a, await b]).toEqual([1, 2]);
  });

  it("keeps nothing from a round that failed", async () => {
    let fail = true;
    let calls = 0;
    const get = singleFlightCache(
      async () => {
        calls += 1;
        if (fail) throw new Error("down");
        return "ok";
      },
      () => 5000,
    );
    await expect(get()).rejects.toThrow("down");
    fail = false;
    expect(await get()).toBe("ok");
    expect(calls).toBe(2);
  });
});
