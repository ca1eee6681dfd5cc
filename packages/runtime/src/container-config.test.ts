import { describe, expect, it } from "vitest";
import { containerCreateOptions, DEFAULT_PIDS_LIMIT } from "./container-config";
import { InvalidNameError } from "./names";

describe("containerCreateOptions", () => {
  it("publishes ports on 127.0.0.1 only and sets limits", () => {
    const options = containerCreateOptions({
      name: "gantry-b1",
      image: "img:1",
      cmd: ["odoo", "--http-port", "8069"],
      env: { PGHOST: "127.0.0.1" },
      owner: { project: "p", branch: "main", build: "b1" },
      ports: [{ containerPort: 8069, hostPort: 18069 }],
      mounts: [{ type: "bind", source: "/srv/data", target: "/data", readOnly: true }],
      memoryBytes: 512 * 1024 * 1024,
      cpus: 1.5,
      user: "1000:1000",
    });
    expect(options.HostConfig?.PortBindings).toEqual({
      "8069/tcp": [{ HostIp: "127.0.0.1", HostPort: "18069" }],
    });
    expect(options.ExposedPorts).toEqual({ "8069/tcp": {} });
    expect(options.HostConfig?.NanoCpus).toBe(1_500_000_000);
    expect(options.HostConfig?.Memory).toBe(536_870_912);
    expect(options.Env).toEqual(["PGHOST=127.0.0.1"]);
    expect(options.Labels).toMatchObject({ "gantry.managed": "true", "gantry.build": "b1" });
    expect(options.HostConfig?.Mounts).toEqual([
      { Type: "bind", Source: "/srv/data", Target: "/data", ReadOnly: true },
    ]);
    expect(options.HostConfig?.MemorySwap).toBe(536_870_912);
  });

  it("drops every capability, forbids gaining privileges and bounds processes", () => {
    const plain = containerCreateOptions({ name: "gantry-b2", image: "img:1" });
    expect(plain.HostConfig?.CapDrop).toEqual(["ALL"]);
    expect(plain.HostConfig?.CapAdd).toBeUndefined();
    expect(plain.HostConfig?.SecurityOpt).toEqual(["no-new-privileges:true"]);
    expect(plain.HostConfig?.PidsLimit).toBe(DEFAULT_PIDS_LIMIT);
    expect(
      containerCreateOptions({ name: "gantry-b3", image: "i", pidsLimit: 64 }).HostConfig?.PidsLimit,
    ).toBe(64);
  });

  it("refuses an invalid name or environment key before reaching the engine", () => {
    expect(() => containerCreateOptions({ name: "feature/x", image: "i" })).toThrow(InvalidNameError);
    expect(() => containerCreateOptions({ name: "ok-name", image: "i", env: { "A=B": "c" } })).toThrow(
      /environment/,
    );
  });
});
