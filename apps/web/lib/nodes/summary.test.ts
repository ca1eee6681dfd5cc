import { describe, expect, it } from "vitest";
import { nodeUse } from "./summary";

describe("a node's use", () => {
  it("counts each build once and sums what was read", () => {
    expect(
      nodeUse([
        { build: "b1", cpuPercent: 10, memoryBytes: 100 },
        { build: "b1", cpuPercent: 5, memoryBytes: null },
        { build: "b2", cpuPercent: null, memoryBytes: 50 },
        { build: null, cpuPercent: null, memoryBytes: null },
      ]),
    ).toEqual({ builds: 2, cpuPercent: 15, memoryBytes: 150 });
  });

  it("says unknown, not zero, when nothing was read", () => {
    expect(nodeUse([{ build: "b1", cpuPercent: null, memoryBytes: null }])).toEqual({
      builds: 1,
      cpuPercent: null,
      memoryBytes: null,
    });
    expect(nodeUse([])).toEqual({ builds: 0, cpuPercent: null, memoryBytes: null });
  });
});
