import { describe, expect, it } from "vitest";
import { checkLocalAvailability, localNode, parseEngineInfo, SINGLE_HOST_POOL } from "./local-node";
import { NodeAvailabilityRefused } from "./nodes";

const info = parseEngineInfo({
  ID: "ABCD:EFGH",
  Name: "builder",
  NCPU: 2,
  MemTotal: 8e9,
  Driver: "overlay2",
});

describe("one host as the only node", () => {
  it("is this engine, ready and active, serving every pool", () => {
    expect(localNode(info, [])).toEqual({
      id: "ABCD:EFGH",
      hostname: "builder",
      pool: SINGLE_HOST_POOL,
      role: "manager",
      state: "ready",
      availability: "active",
      address: "127.0.0.1",
      cpus: 2,
      memoryBytes: 8e9,
      work: [],
    });
  });

  it("refuses to be drained, with the reason", () => {
    const node = localNode(info, []);
    expect(() => checkLocalAvailability(node, node.id, "drain")).toThrow(NodeAvailabilityRefused);
    expect(() => checkLocalAvailability(node, node.id, "drain")).toThrow(/only node.*cannot be drained/);
    expect(checkLocalAvailability(node, "builder", "active")).toBe(node);
  });

  it("knows no other node", () => {
    const node = localNode(info, []);
    expect(() => checkLocalAvailability(node, "elsewhere", "active")).toThrow(/no such node/);
  });
});
