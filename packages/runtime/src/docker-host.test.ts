import { describe, expect, it } from "vitest";
import { dockerOptionsFromHost } from "./docker-host";

describe("dockerOptionsFromHost", () => {
  it("reads unix sockets, bare paths and tcp addresses", () => {
    expect(dockerOptionsFromHost("unix:///var/run/docker.sock")).toEqual({
      socketPath: "/var/run/docker.sock",
    });
    expect(dockerOptionsFromHost("/run/docker.sock")).toEqual({ socketPath: "/run/docker.sock" });
    expect(dockerOptionsFromHost("tcp://127.0.0.1:2375")).toEqual({
      protocol: "http",
      host: "127.0.0.1",
      port: 2375,
    });
  });

  it("refuses what it cannot read", () => {
    expect(() => dockerOptionsFromHost("ssh://host")).toThrow(/unsupported/);
    expect(() => dockerOptionsFromHost("nonsense")).toThrow(/unsupported/);
  });
});
