import { describe, expect, it } from "vitest";
import { lastRequestsByHost, normalHost } from "./access-log";

// A line as Caddy 2.6 writes it for the builds' server (trimmed headers).
const line = (host: string, ts: number | string, logger = "http.log.access.gantry_builds") =>
  JSON.stringify({
    level: "info",
    ts,
    logger,
    msg: "handled request",
    request: { remote_ip: "127.0.0.1", proto: "HTTP/1.1", method: "GET", host, uri: "/web/login" },
    status: 200,
  });

describe("builds' access log", () => {
  it("keeps the newest request per host, without port or case", () => {
    const text = [
      line("acme-main-a1.localhost", 1796149158.08),
      line("ACME-main-a1.localhost:8080", 1796149200.5),
      line("acme-main-a1.localhost", 1796149100),
      line("acme-dev-b2.localhost", "2026-12-01T18:00:00.000Z"),
    ].join("\n");
    const latest = lastRequestsByHost(text);
    expect([...latest.keys()].sort()).toEqual(["acme-dev-b2.localhost", "acme-main-a1.localhost"]);
    expect(latest.get("acme-main-a1.localhost")?.getTime()).toBe(1796149200500);
    expect(latest.get("acme-dev-b2.localhost")?.toISOString()).toBe("2026-12-01T18:00:00.000Z");
  });

  it("skips half-written, foreign and malformed lines", () => {
    const text = [
      line("a.localhost", 1796149158),
      '{"level":"info","ts":17961',
      line("b.localhost", 1796149158, "http.log.error.gantry_builds"),
      line("c.localhost", "not a time"),
      line("", 1796149158),
      "plain text",
      JSON.stringify({ logger: "http.log.access.x", ts: 1, request: null }),
    ].join("\n");
    expect([...lastRequestsByHost(text).keys()]).toEqual(["a.localhost"]);
  });

  it("normalizes hosts the way requests carry them", () => {
    expect(normalHost(" Build.Example.COM:443 ")).toBe("build.example.com");
    expect(normalHost("build.localhost")).toBe("build.localhost");
  });
});
