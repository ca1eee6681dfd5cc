import { describe, expect, it } from "vitest";
import { formatAccessLine, formatSlowQuery, quotedPrintable } from "./line-format";

describe("lines Gantry writes into a build's logs", () => {
  it("quotes hostile text into one printable line", () => {
    const quoted = quotedPrintable('a\nb"\u001b[31mé');
    expect(quoted).toBe('"a\\nb\\"\\u001b[31m\\u00e9"');
    expect(/^[\x20-\x7e]+$/.test(quoted)).toBe(true);
  });

  it("writes an access line in the combined log's spirit", () => {
    const line = formatAccessLine({
      host: "acme.localhost",
      at: new Date("2026-12-07T00:15:54.123Z"),
      durationMs: 12.345,
      status: 500,
      method: "GET",
      uri: "/web/x\n2026-12-07T00:00:00.000Z 1.2.3.4 forged",
      proto: "HTTP/1.1",
      clientIp: "203.0.113.9",
      bytes: 10,
      userAgent: "curl/8",
    });
    expect(line).toBe(
      '2026-12-07T00:15:54.123Z 203.0.113.9 "GET /web/x\\n2026-12-07T00:00:00.000Z 1.2.3.4 forged HTTP/1.1" 500 10 12.3ms "curl/8"',
    );
    expect(line.includes("\n")).toBe(false);
  });

  it("writes a slow statement with its duration and role, capped", () => {
    const line = formatSlowQuery({
      at: new Date("2026-12-07T00:15:54.123Z"),
      database: "gantry_b_x",
      user: "gantry_b_x",
      durationMs: 1500.25,
      statement: "SELECT pg_sleep(1.5)",
    });
    expect(line).toBe('2026-12-07T00:15:54.123Z 1500.3ms user=gantry_b_x "SELECT pg_sleep(1.5)"');
  });
});
