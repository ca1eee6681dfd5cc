import { describe, expect, it } from "vitest";
import { useBetween, workOf } from "./nodes";

describe("node work", () => {
  it("reads the owner and role from the labels, use when known", () => {
    const item = {
      key: "c1",
      name: "gantry-b1-serve",
      labels: {
        "gantry.project": "p1",
        "gantry.branch": "main",
        "gantry.build": "b1",
        "gantry.role": "serve",
      },
    };
    expect(workOf(item, { cpuPercent: 12.5, memoryBytes: 1024 })).toEqual({
      name: "gantry-b1-serve",
      project: "p1",
      branch: "main",
      build: "b1",
      role: "serve",
      cpuPercent: 12.5,
      memoryBytes: 1024,
    });
    expect(workOf({ ...item, labels: {} }, undefined)).toMatchObject({
      build: null,
      role: null,
      cpuPercent: null,
      memoryBytes: null,
    });
  });

  it("takes CPU percent from the CPU time between two readings (100 = one CPU)", () => {
    const before = { cpuUsageNs: 1_000_000_000, memoryBytes: 10, memoryLimitBytes: 0 };
    const after = { cpuUsageNs: 1_750_000_000, memoryBytes: 20, memoryLimitBytes: 0 };
    expect(useBetween(before, after, 500)).toEqual({ cpuPercent: 150, memoryBytes: 20 });
    // A counter that went back (the container restarted) is no negative use.
    expect(useBetween(after, before, 500).cpuPercent).toBe(0);
  });
});
