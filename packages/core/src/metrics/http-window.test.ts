import { describe, expect, it } from "vitest";
import { parseAccessLine } from "./access-lines";
import { HttpWindow, MAX_KEPT_REQUESTS, peakOverlap, percentile } from "./http-window";

// A line as Caddy 2.6 writes it for the builds' server (trimmed).
const line = (fields: { host?: string; ts?: number; duration?: number; status?: number; uri?: string }) =>
  JSON.stringify({
    level: "info",
    ts: fields.ts ?? 1796149158.5,
    logger: "http.log.access.gantry_builds",
    msg: "handled request",
    request: {
      remote_ip: "127.0.0.1",
      client_ip: "203.0.113.9",
      proto: "HTTP/1.1",
      method: "GET",
      host: fields.host ?? "Acme-main.localhost:80",
      uri: fields.uri ?? "/web/login",
      headers: { "User-Agent": ["curl/8.5"] },
    },
    duration: fields.duration ?? 0.0125,
    size: 321,
    status: fields.status ?? 200,
  });

describe("Caddy's access lines", () => {
  it("reads host, time, duration, status and the request", () => {
    const entry = parseAccessLine(line({}));
    expect(entry).toMatchObject({
      host: "acme-main.localhost",
      durationMs: 12.5,
      status: 200,
      method: "GET",
      uri: "/web/login",
      clientIp: "203.0.113.9",
      bytes: 321,
      userAgent: "curl/8.5",
    });
    expect(entry?.at.getTime()).toBe(1796149158500);
  });

  it("skips other loggers, torn lines and lines without a host", () => {
    expect(parseAccessLine(line({}).replace("http.log.access", "http.handlers"))).toBeNull();
    expect(parseAccessLine(line({}).slice(0, 40))).toBeNull();
    expect(parseAccessLine(line({ host: "" }))).toBeNull();
    expect(parseAccessLine("not json")).toBeNull();
  });

  it("caps a visitor's long URI", () => {
    expect(parseAccessLine(line({ uri: `/${"a".repeat(10_000)}` }))?.uri.length).toBe(2000);
  });
});

describe("an interval's HTTP figures", () => {
  it("counts requests, 4xx and 5xx and takes nearest-rank percentiles", () => {
    const window = new HttpWindow();
    const statuses = [200, 200, 302, 404, 403, 500, 502, 200, 200, 200];
    statuses.forEach((status, i) => {
      // One request a second, durations 10, 20, ..., 100 ms: none overlaps another.
      window.add({ at: new Date(1_000_000 + i * 1000), durationMs: (i + 1) * 10, status });
    });
    expect(window.figures()).toEqual({
      httpRequests: 10,
      http4xx: 2,
      http5xx: 2,
      httpP50Ms: 50,
      httpP95Ms: 100,
      httpConcurrentMax: 1,
    });
  });

  it("has no percentiles and no concurrency without requests", () => {
    expect(new HttpWindow().figures()).toMatchObject({
      httpRequests: 0,
      httpP50Ms: null,
      httpConcurrentMax: 0,
    });
  });

  it("finds the most requests in flight at once from their spans", () => {
    // [0,10] [5,15] [8,20] overlap at 8..10; [20,30] starts as [8,20] ends.
    expect(
      peakOverlap([
        [0, 10],
        [5, 15],
        [8, 20],
        [20, 30],
      ]),
    ).toBe(3);
    expect(
      peakOverlap([
        [0, 10],
        [10, 20],
      ]),
    ).toBe(1);
  });

  it("keeps counting exactly past its memory cap, percentiles from a sample", () => {
    const window = new HttpWindow(() => 0.999_999);
    for (let i = 0; i < MAX_KEPT_REQUESTS + 1000; i++) {
      window.add({ at: new Date(i * 100), durationMs: 5, status: i % 2 === 0 ? 200 : 500 });
    }
    const figures = window.figures();
    expect(figures.httpRequests).toBe(MAX_KEPT_REQUESTS + 1000);
    expect(figures.http5xx).toBe((MAX_KEPT_REQUESTS + 1000) / 2);
    expect(figures.httpP95Ms).toBe(5);
  });

  it("percentile of one value is that value", () => {
    expect(percentile([42], 0.95)).toBe(42);
    expect(percentile([], 0.5)).toBeNull();
  });
});
