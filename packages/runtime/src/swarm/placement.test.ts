import { describe, expect, it } from "vitest";
import { type NodeView, pinnedTo, roomiestNode, type TaskMemoryView } from "./placement";
import { serviceCreateOptions } from "./service-spec";

const GiB = 1024 ** 3;

function node(id: string, pool: string, memory = 8 * GiB, extra: Partial<NodeView> = {}): NodeView {
  return {
    ID: id,
    Spec: { Availability: "active", Labels: { "gantry.pool": pool } },
    Status: { State: "ready" },
    Description: { Resources: { MemoryBytes: memory } },
    ...extra,
  };
}

function task(nodeId: string, memory: number, state = "running", desired = "running"): TaskMemoryView {
  return {
    NodeID: nodeId,
    DesiredState: desired,
    Status: { State: state },
    Spec: { Resources: { Limits: { MemoryBytes: memory } } },
  };
}

describe("roomiestNode", () => {
  it("takes the pool's node with the most memory left, whatever the task counts", () => {
    const nodes = [node("a", "development"), node("b", "development")];
    // a runs three small tasks, b one big serve: a has more room.
    const tasks = [task("a", GiB / 2), task("a", GiB / 2), task("a", GiB / 2), task("b", 4 * GiB)];
    expect(roomiestNode("development", nodes, tasks)).toBe("a");
    expect(roomiestNode("development", nodes, [...tasks, task("a", 3 * GiB)])).toBe("b");
  });

  it("counts running jobs (meant to complete) and pinned tasks not yet assigned, not ended ones", () => {
    const nodes = [node("a", "development"), node("b", "development")];
    const pendingOnA: TaskMemoryView = {
      DesiredState: "complete",
      Status: { State: "pending" },
      Spec: { Resources: { Limits: { MemoryBytes: 2 * GiB } }, Placement: { Constraints: ["node.id==a"] } },
    };
    expect(roomiestNode("development", nodes, [pendingOnA])).toBe("b");
    expect(roomiestNode("development", nodes, [task("a", 2 * GiB, "running", "complete")])).toBe("b");
    const ended = [task("a", 6 * GiB, "complete", "complete"), task("a", 6 * GiB, "running", "shutdown")];
    expect(roomiestNode("development", nodes, [...ended, task("b", GiB)])).toBe("a");
  });

  it("prefers a reservation over the limit, and bigger nodes", () => {
    const nodes = [node("a", "development", 16 * GiB), node("b", "development", 8 * GiB)];
    const reserved: TaskMemoryView = {
      NodeID: "a",
      DesiredState: "running",
      Status: { State: "running" },
      Spec: { Resources: { Limits: { MemoryBytes: 12 * GiB }, Reservations: { MemoryBytes: 6 * GiB } } },
    };
    expect(roomiestNode("development", nodes, [reserved])).toBe("a");
  });

  it("keeps to the pool's ready, active nodes; breaks ties by task count then id", () => {
    const nodes = [
      node("big", "production", 64 * GiB),
      node("drained", "customer-a", 64 * GiB, {
        Spec: { Availability: "drain", Labels: { "gantry.pool": "customer-a" } },
      }),
      node("down", "customer-a", 64 * GiB, { Status: { State: "down" } }),
      node("c2", "customer-a"),
      node("c1", "customer-a"),
    ];
    expect(roomiestNode("customer-a", nodes, [])).toBe("c1");
    expect(roomiestNode("customer-a", nodes, [task("c1", 0)])).toBe("c2");
    expect(roomiestNode("staging", nodes, [])).toBeNull();
  });
});

describe("pinnedTo", () => {
  it("adds the node to the pool's constraint", () => {
    const options = serviceCreateOptions(
      { name: "gantry-b1-install", image: "i", owner: { build: "b1" }, pool: "customer-a" },
      "i",
    );
    expect(pinnedTo(options, "n1").TaskTemplate?.Placement).toEqual({
      Constraints: ["node.labels.gantry.pool==customer-a", "node.id==n1"],
    });
  });
});
