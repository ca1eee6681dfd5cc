import { describe, expect, it } from "vitest";
import { planStreams } from "./plan";

describe("the streams of a copy", () => {
  it("large tables get their own stream, largest first; the rest share one", () => {
    const plan = planStreams(
      [
        { name: "small_a", bytes: 10 },
        { name: "big", bytes: 5000 },
        { name: "bigger", bytes: 9000 },
        { name: "small_b", bytes: 999 },
      ],
      1000,
    );
    expect(plan).toEqual({ large: ["bigger", "big"], small: ["small_a", "small_b"] });
  });

  it("a threshold of zero streams every table on its own", () => {
    expect(planStreams([{ name: "t", bytes: 0 }], 0)).toEqual({ large: ["t"], small: [] });
  });
});
