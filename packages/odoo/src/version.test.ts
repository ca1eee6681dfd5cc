import { describe, expect, it } from "vitest";
import {
  compareSeries,
  demoOffByDefault,
  KNOWN_SERIES,
  MAJOR_SERIES,
  parseSeries,
  seriesName,
  seriesOfModuleVersion,
  seriesVersionPrefix,
  sortSeries,
} from "./series";
import {
  compareVersions,
  diffModuleVersions,
  isValidVersion,
  normalizeVersion,
  versionWentUp,
} from "./version";

describe("series", () => {
  it("parses both spellings of saas series and orders them between majors", () => {
    expect(parseSeries("saas-18.3")).toEqual({ major: 18, minor: 3, saas: true });
    expect(parseSeries("saas~18.3")).toEqual({ major: 18, minor: 3, saas: true });
    expect(seriesName("saas~18.3")).toBe("saas-18.3");
    expect(seriesVersionPrefix("saas-18.3")).toBe("saas~18.3");
    expect(sortSeries(["19.0", "saas-18.3", "16.0", "18.0", "saas-17.2", "17.0"])).toEqual([
      "16.0",
      "17.0",
      "saas-17.2",
      "18.0",
      "saas-18.3",
      "19.0",
    ]);
    expect(sortSeries([...KNOWN_SERIES].reverse())).toEqual([...KNOWN_SERIES]);
    expect(MAJOR_SERIES).toEqual(["16.0", "17.0", "18.0", "19.0"]);
    expect(compareSeries("17.0", "17.0")).toBe(0);
  });

  it("rejects what is not a series", () => {
    for (const bad of ["18", "18.1", "saas-18.0", "master", "18.0.1", ""])
      expect(() => parseSeries(bad)).toThrow();
  });

  it("reads the series an installed module's version starts with", () => {
    expect(seriesOfModuleVersion("18.0.1.3")).toEqual({ major: 18, minor: 0, saas: false });
    expect(seriesOfModuleVersion("saas~18.2.1.0")).toEqual({ major: 18, minor: 2, saas: true });
    for (const none of ["1.0", "18.0", "18.2.1.0", "master", ""])
      expect(seriesOfModuleVersion(none)).toBeUndefined();
  });

  it("knows demo data is off by default from saas-18.3", () => {
    expect(demoOffByDefault("18.0")).toBe(false);
    expect(demoOffByDefault("saas-18.2")).toBe(false);
    expect(demoOffByDefault("saas-18.3")).toBe(true);
    expect(demoOffByDefault("19.0")).toBe(true);
  });
});

describe("normalizeVersion", () => {
  it.each([
    ["1.0", "17.0", "17.0.1.0"],
    ["1.0.3", "17.0", "17.0.1.0.3"],
    ["17.0.1.0", "17.0", "17.0.1.0"],
    ["17.0.1.0.3", "17.0", "17.0.1.0.3"],
    ["18.0.2.1", "18.0", "18.0.2.1"],
    // Odoo's quirk: the bare series is a base version x.y.
    ["18.0", "18.0", "18.0.18.0"],
    ["1.2", "saas-18.3", "saas~18.3.1.2"],
    ["saas~18.3.1.2", "saas-18.3", "saas~18.3.1.2"],
  ])("%s on %s -> %s", (version, series, full) => {
    expect(normalizeVersion(version, series)).toBe(full);
  });

  it.each([
    ["17.0.1.0.0", "18.0"],
    ["1", "17.0"],
    ["1.0.0.0", "17.0"],
    ["17.0.1", "17.0"],
    ["1.0-beta", "17.0"],
    ["", "17.0"],
    ["18.0.1.0.0.1", "18.0"],
  ])("%s is invalid on %s", (version, series) => {
    expect(isValidVersion(version, series)).toBe(false);
    expect(() => normalizeVersion(version, series)).toThrow(/Modules should have a version in format/);
  });
});

describe("compareVersions", () => {
  it("orders numerically, ignoring trailing zeros", () => {
    expect(compareVersions("17.0.1.0.10", "17.0.1.0.9")).toBe(1);
    expect(compareVersions("17.0.1.0", "17.0.1.0.0")).toBe(0);
    expect(compareVersions("17.0.1.0", "17.0.1.0.1")).toBe(-1);
    expect(compareVersions("saas~18.3.1.0", "18.0.9.9")).toBe(1);
    expect(compareVersions("saas~18.3.1.0", "19.0.1.0")).toBe(-1);
    expect(() => compareVersions("1.0a", "1.0")).toThrow(/numeric/);
  });

  it("tells whether a manifest version went up", () => {
    expect(versionWentUp("1.0", "1.1", "17.0")).toBe(true);
    expect(versionWentUp("17.0.1.0", "1.0", "17.0")).toBe(false);
    expect(versionWentUp("1.0.9", "17.0.1.0.10", "17.0")).toBe(true);
  });

  it("diffs two revisions' manifest versions", () => {
    const changes = diffModuleVersions(
      { a: "1.0", b: "17.0.1.0.0", c: "1.0", gone: "1.0", d: "2.0" },
      { a: "1.1", b: "17.0.1.0", c: "1.0", fresh: "1.0", d: "1.9", bad: "16.0.1.0" },
      "17.0",
    );
    expect(changes).toEqual({
      upgraded: ["a"],
      added: ["fresh"],
      removed: ["gone"],
      downgraded: ["d"],
      invalid: [{ module: "bad", error: expect.stringContaining("16.0.1.0") }],
    });
  });
});
