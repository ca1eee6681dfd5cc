import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ConfigError, envSchema, parseConfig } from "./index";

const example = readFileSync(new URL("../../../.env.example", import.meta.url), "utf8");
const documented = new Map(
  example
    .split("\n")
    .filter((line) => /^[A-Z_][A-Z0-9_]*=/.test(line))
    .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)] as const),
);

describe("config", () => {
  it("documents every variable in .env.example, and only those", () => {
    expect([...documented.keys()].sort()).toEqual(Object.keys(envSchema.shape).sort());
  });

  it("gives the defaults .env.example shows", () => {
    const defaults = parseConfig({});
    for (const [key, value] of documented) {
      if (value === "") continue;
      expect(String(defaults[key as keyof typeof defaults]), key).toBe(value);
    }
  });

  it("names the variable in one line when a value is wrong", () => {
    expect(() => parseConfig({ DATABASE_URL: "mysql://localhost/x" })).toThrow(ConfigError);
    try {
      parseConfig({ DATABASE_URL: "not a url", WEB_PORT: "99999" });
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain("DATABASE_URL");
      expect(message).toContain("WEB_PORT");
      expect(message).not.toContain("\n");
    }
  });

  it("reads TRUSTED_PROXIES as a list of addresses and CIDR blocks, empty by default", () => {
    expect(parseConfig({}).TRUSTED_PROXIES).toEqual([]);
    expect(parseConfig({ TRUSTED_PROXIES: " 127.0.0.1, 10.0.0.0/8,fd00::/8 " }).TRUSTED_PROXIES).toEqual([
      "127.0.0.1",
      "10.0.0.0/8",
      "fd00::/8",
    ]);
    for (const wrong of ["caddy", "10.0.0.0/33", "10.0.0.1/8/1", "::1/129", "10.0.0.0/x"])
      expect(() => parseConfig({ TRUSTED_PROXIES: wrong }), wrong).toThrow(/TRUSTED_PROXIES/);
  });

  it("treats empty values as unset and coerces numbers", () => {
    const parsed = parseConfig({ WORKER_CONCURRENCY: "4", ADMIN_PASSWORD: "" });
    expect(parsed.WORKER_CONCURRENCY).toBe(4);
    expect(parsed.ADMIN_PASSWORD).toBeUndefined();
  });
});
