import { describe, expect, it } from "vitest";
import { compareVersions, parsePgVersion } from "./tools";

describe("pg versions", () => {
  it("parses --version output and dump headers", () => {
    expect(parsePgVersion("pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)")).toEqual([15, 18]);
    expect(parsePgVersion("psql (PostgreSQL) 17.6")).toEqual([17, 6]);
    expect(parsePgVersion("9.6.24")).toEqual([9, 6, 24]);
    expect(parsePgVersion("nothing")).toBeUndefined();
  });

  it("compares numerically", () => {
    expect(compareVersions([15, 18], [15, 9])).toBeGreaterThan(0);
    expect(compareVersions([15], [15, 0])).toBe(0);
    expect(compareVersions([15, 18], [17, 2])).toBeLessThan(0);
  });
});
