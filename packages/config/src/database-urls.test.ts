import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig, withPassword } from "./index";

describe("database URLs", () => {
  it("default to the three clusters, without a password", () => {
    const parsed = parseConfig({});
    expect(new URL(parsed.DATABASE_URL).port).toBe("5432");
    expect(new URL(parsed.BUILD_DATABASE_URL).port).toBe("5434");
    expect(new URL(parsed.BUILD_DEV_DATABASE_URL).port).toBe("5433");
    for (const url of [parsed.DATABASE_URL, parsed.BUILD_DATABASE_URL, parsed.BUILD_DEV_DATABASE_URL])
      expect(new URL(url).password).toBe("");
  });

  it("refuses a URL without password, naming the variable", () => {
    expect(() => withPassword("BUILD_DATABASE_URL", parseConfig({}).BUILD_DATABASE_URL)).toThrow(ConfigError);
    expect(() => withPassword("BUILD_DATABASE_URL", "postgresql://gantry@127.0.0.1:5434/postgres")).toThrow(
      /^BUILD_DATABASE_URL: no password/,
    );
    const url = "postgresql://gantry:s3cret@127.0.0.1:5434/postgres";
    expect(withPassword("BUILD_DATABASE_URL", url)).toBe(url);
  });
});
