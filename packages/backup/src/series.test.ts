import { describe, expect, it } from "vitest";
import { compareSeries, parseSeries } from "./series";

describe("series", () => {
  it("orders majors and saas releases", () => {
    const ordered = ["16.0", "17.0", "saas-17.2", "18.0", "saas-18.1", "saas-18.3", "19.0"];
    for (let i = 0; i < ordered.length - 1; i++) {
      expect(compareSeries(ordered[i]!, ordered[i + 1]!)).toBeLessThan(0);
      expect(compareSeries(ordered[i + 1]!, ordered[i]!)).toBeGreaterThan(0);
    }
    expect(compareSeries("18.0", "18.0")).toBe(0);
  });

  it("reads versions with a suffix and rejects garbage", () => {
    expect(parseSeries("18.0+e-20241005")).toEqual([18, 0]);
    expect(parseSeries("saas~18.2")).toEqual([18, 2]);
    expect(parseSeries("master")).toBeUndefined();
    expect(() => compareSeries("x", "18.0")).toThrow();
  });
});
