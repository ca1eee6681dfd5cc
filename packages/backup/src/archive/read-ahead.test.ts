import { describe, expect, it } from "vitest";
import { readAhead } from "./read-ahead";

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe("readAhead", () => {
  it("yields in order with at most `window` reads in flight", async () => {
    let inFlight = 0;
    let most = 0;
    const read = async (n: number) => {
      inFlight++;
      most = Math.max(most, inFlight);
      // Later items finish first: order must come from the input, not from completion.
      await new Promise((resolve) => setTimeout(resolve, (10 - (n % 10)) * 2));
      inFlight--;
      return n * 2;
    };
    const items = Array.from({ length: 40 }, (_, i) => i);
    const out: number[] = [];
    for await (const value of readAhead(items, read, 4)) out.push(value);
    expect(out).toEqual(items.map((n) => n * 2));
    expect(most).toBe(4);
  });

  it("reports a failed read when its turn comes, after the results before it", async () => {
    const out: number[] = [];
    const read = async (n: number) => {
      await tick();
      if (n === 3) throw new Error("unreadable 3");
      return n;
    };
    await expect(
      (async () => {
        for await (const value of readAhead([0, 1, 2, 3, 4], read, 3)) out.push(value);
      })(),
    ).rejects.toThrow("unreadable 3");
    expect(out).toEqual([0, 1, 2]);
  });
});
