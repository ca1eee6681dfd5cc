import { describe, expect, it } from "vitest";
import { nodeAvailabilityResult, nodeJobs } from "./nodes";

describe("node jobs", () => {
  it("drain or activate only, on a named node", () => {
    const payload = nodeJobs["maintenance.node-availability"].payload;
    expect(payload.safeParse({ nodeId: "n1", availability: "drain" }).success).toBe(true);
    expect(payload.safeParse({ nodeId: "n1", availability: "pause" }).success).toBe(false);
    expect(payload.safeParse({ nodeId: "", availability: "active" }).success).toBe(false);
    expect(payload.safeParse({ nodeId: "n1", availability: "active", extra: 1 }).success).toBe(false);
  });

  it("answers a refusal with its reason", () => {
    const refused = { ok: false, status: "conflict", error: "This host is the only node" };
    expect(nodeAvailabilityResult.parse(refused)).toEqual(refused);
    expect(nodeAvailabilityResult.safeParse({ ok: false, error: "no status" }).success).toBe(false);
  });
});
