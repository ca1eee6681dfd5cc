import { describe, expect, it } from "vitest";
import { addressOf, nodeOf, parseNode, placedTasks, runningTasks } from "./nodes";

// A worker node as Docker 20.10 answers `/nodes` (fields Gantry does not read left out).
const worker = {
  ID: "n2",
  Version: { Index: 41 },
  Spec: { Labels: { "gantry.pool": "development" }, Role: "worker", Availability: "drain", Name: "x" },
  Description: { Hostname: "gsw-n2", Resources: { NanoCPUs: 2_000_000_000, MemoryBytes: 4_294_967_296 } },
  Status: { State: "ready", Addr: "10.250.3.3" },
};

const managedLabels = { "gantry.managed": "true", "gantry.project": "p1", "gantry.build": "b1" };

function task(overrides: Record<string, unknown>) {
  return {
    ID: "t1",
    ServiceID: "s1",
    NodeID: "n2",
    Spec: { ContainerSpec: { Labels: { ...managedLabels, "gantry.role": "serve" } } },
    Status: { State: "running", ContainerStatus: { ContainerID: "c1" } },
    ...overrides,
  };
}

describe("Swarm nodes", () => {
  it("maps a node's pool, role, state, availability and resources", () => {
    expect(nodeOf(parseNode(worker), [])).toEqual({
      id: "n2",
      hostname: "gsw-n2",
      pool: "development",
      role: "worker",
      state: "ready",
      availability: "drain",
      address: "10.250.3.3",
      cpus: 2,
      memoryBytes: 4_294_967_296,
      work: [],
    });
  });

  it("keeps the rest of the spec for an update, and says null for a node without a pool", () => {
    const parsed = parseNode({ ...worker, Spec: { Role: "manager", Availability: "active", Name: "x" } });
    expect(parsed.Spec).toMatchObject({ Name: "x", Labels: {} });
    expect(nodeOf(parsed, []).pool).toBeNull();
  });

  it("names a state Docker may add later unknown, and a node without a description by its id", () => {
    const node = nodeOf(parseNode({ ID: "n9", Spec: worker.Spec, Status: { State: "rebooting" } }), []);
    expect(node).toMatchObject({ state: "unknown", hostname: "n9", cpus: 0, memoryBytes: 0, address: null });
  });

  it("takes a manager's advertised address when it reports 0.0.0.0", () => {
    const manager = parseNode({
      ...worker,
      Status: { State: "ready", Addr: "0.0.0.0" },
      ManagerStatus: { Addr: "10.250.3.2:2377" },
    });
    expect(addressOf(manager)).toBe("10.250.3.2");
  });

  it("refuses a node whose role or availability is not Docker's", () => {
    expect(() => parseNode({ ...worker, Spec: { ...worker.Spec, Availability: "gone" } })).toThrow();
  });

  it("lists only Gantry's running tasks, named after their service, keyed by container", () => {
    const names = new Map([["s1", "gantry-b1-serve"]]);
    const found = runningTasks(
      [
        task({}),
        task({ ID: "t2", Status: { State: "shutdown", ContainerStatus: { ContainerID: "c2" } } }),
        task({ ID: "t3", Spec: { ContainerSpec: { Labels: { "gantry.build": "b1" } } } }),
        task({ ID: "t4", NodeID: "" }),
        { nonsense: true },
      ],
      names,
    );
    expect(found).toEqual([
      {
        key: "c1",
        name: "gantry-b1-serve",
        nodeId: "n2",
        labels: { ...managedLabels, "gantry.role": "serve" },
      },
    ]);
  });

  it("places a service's task from its assignment on, a running one winning over one starting", () => {
    const placed = placedTasks([
      // Health-checked: "starting" until Docker's probe passes, yet already on its node.
      task({ ID: "t1", ServiceID: "s1", NodeID: "n2", Status: { State: "starting" } }),
      task({ ID: "t2", ServiceID: "s2", NodeID: "n3", Status: { State: "running" } }),
      task({ ID: "t3", ServiceID: "s2", NodeID: "n4", Status: { State: "starting" } }),
      task({ ID: "t4", ServiceID: "s3", NodeID: "", Status: { State: "pending" } }),
      task({ ID: "t5", ServiceID: "s4", NodeID: "n2", Status: { State: "failed" } }),
      task({ ID: "t6", ServiceID: "s5", NodeID: "n2", Status: { State: "assigned" } }),
      { nonsense: true },
    ]);
    expect(Object.fromEntries(placed)).toEqual({
      s1: { nodeId: "n2", running: false },
      s2: { nodeId: "n3", running: true },
      s5: { nodeId: "n2", running: false },
    });
  });
});
