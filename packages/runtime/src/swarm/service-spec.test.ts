import { describe, expect, it } from "vitest";
import { kindOf, serviceCreateOptions } from "./service-spec";

const base = { name: "gantry-b1", image: "gantry/odoo:18.0", owner: { project: "p1", build: "b1" } };

describe("serviceCreateOptions", () => {
  it("makes serving work a replicated service created asleep, restarted when it dies", () => {
    const options = serviceCreateOptions(
      { ...base, labels: { "gantry.role": "serve" }, ports: [{ containerPort: 8069, hostPort: 20001 }] },
      "10.0.0.9:5000/gantry/odoo:18.0",
    );
    expect(options.Mode).toEqual({ Replicated: { Replicas: 0 } });
    expect(options.TaskTemplate?.RestartPolicy).toEqual({ Condition: "any", Delay: 1e9 });
    expect(options.EndpointSpec?.Ports).toEqual([
      { Protocol: "tcp", TargetPort: 8069, PublishedPort: 20001, PublishMode: "host" },
    ]);
    expect(options.Labels).toMatchObject({
      "gantry.managed": "true",
      "gantry.project": "p1",
      "gantry.kind": "serve",
    });
  });

  it("makes one-shot work a replicated job that never reruns", () => {
    const options = serviceCreateOptions(base, "img");
    expect(kindOf(base)).toBe("job");
    expect(options.Mode).toEqual({ ReplicatedJob: { MaxConcurrent: 1, TotalCompletions: 1 } });
    expect(options.TaskTemplate?.RestartPolicy).toEqual({ Condition: "none" });
  });

  it("places work by pool, with the limits and the reservation of the spec", () => {
    const options = serviceCreateOptions(
      {
        ...base,
        pool: "development",
        memoryBytes: 1024,
        memoryReservationBytes: 512,
        cpus: 1.5,
        pidsLimit: 64,
      },
      "img",
    );
    const template = options.TaskTemplate as {
      Placement: unknown;
      Resources: unknown;
      ContainerSpec: { CapabilityDrop: string[] };
    };
    expect(template.Placement).toEqual({ Constraints: ["node.labels.gantry.pool==development"] });
    expect(template.Resources).toEqual({
      Limits: { MemoryBytes: 1024, NanoCPUs: 1_500_000_000, Pids: 64 },
      Reservations: { MemoryBytes: 512 },
    });
    expect(template.ContainerSpec.CapabilityDrop).toEqual(["ALL"]);
  });

  it("refuses a pool that would change the constraint, and attaches only user networks", () => {
    expect(() => serviceCreateOptions({ ...base, pool: "dev==x" }, "img")).toThrow(/invalid pool/);
    expect(serviceCreateOptions({ ...base, networkMode: "host" }, "img").TaskTemplate?.Networks).toEqual([]);
    expect(
      serviceCreateOptions({ ...base, networkMode: "gantry-p1-iso" }, "img").TaskTemplate?.Networks,
    ).toEqual([{ Target: "gantry-p1-iso" }]);
  });
});
