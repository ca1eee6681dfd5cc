import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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

  it("derives Redis's and Caddy's addresses from the data folder as the scripts do", () => {
    const dataDir = mkdtempSync(join(tmpdir(), "gantry-config-"));
    try {
      const bare = parseConfig({ GANTRY_DATA_DIR: dataDir });
      expect(bare.REDIS_URL).toBe("redis://127.0.0.1:6379/0");
      expect(bare.CADDY_ADMIN_URL).toBe(`unix://${join(dataDir, "caddy", "admin.sock")}`);
      mkdirSync(join(dataDir, "secrets"));
      writeFileSync(join(dataDir, "secrets", "redis"), "s3cretPW\n");
      expect(parseConfig({ GANTRY_DATA_DIR: dataDir }).REDIS_URL).toBe("redis://:s3cretPW@127.0.0.1:6379/0");
      // A given URL wins over what the scripts generated.
      const given = parseConfig({ GANTRY_DATA_DIR: dataDir, REDIS_URL: "redis://:other@10.0.0.5:6379/1" });
      expect(given.REDIS_URL).toBe("redis://:other@10.0.0.5:6379/1");
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("takes Caddy's admin API on an absolute unix socket or over http(s)", () => {
    expect(parseConfig({ CADDY_ADMIN_URL: "unix:///run/gantry/admin.sock" }).CADDY_ADMIN_URL).toBe(
      "unix:///run/gantry/admin.sock",
    );
    expect(parseConfig({ CADDY_ADMIN_URL: "http://10.0.0.7:2019" }).CADDY_ADMIN_URL).toBe(
      "http://10.0.0.7:2019",
    );
    for (const wrong of ["unix://admin.sock", "unix:admin.sock", "tcp://127.0.0.1:2019", "/run/admin.sock"])
      expect(() => parseConfig({ CADDY_ADMIN_URL: wrong }), wrong).toThrow(/CADDY_ADMIN_URL/);
  });
});
