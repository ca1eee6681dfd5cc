import { describe, expect, it } from "vitest";
import type { CodeResult } from "../shared/code";
import { checksumsAfter, planModuleUpdate, recordedChecksums, sameRequirements } from "./module-updates";

function code(
  modules: Record<string, { version: string; installable?: boolean }>,
): Pick<CodeResult, "discovery"> {
  return {
    discovery: {
      addonsDirs: [],
      errors: [],
      modules: Object.entries(modules).map(([name, m]) => ({
        name,
        path: name,
        addonsDir: "",
        fromSubmodule: false,
        manifest: { name, version: m.version, installable: m.installable ?? true } as never,
      })),
    } as never,
  };
}

describe("which modules production updates", () => {
  const installed = new Map([
    ["base", "17.0.1.3"],
    ["acme_base", "17.0.1.0.0"],
    ["acme_docs", "17.0.1.0.0"],
    ["acme_sale_ext", "17.0.1.0.0"],
  ]);

  it("only the installed modules whose manifest version went up", () => {
    const plan = planModuleUpdate(
      installed,
      code({
        acme_base: { version: "17.0.1.1.0" },
        acme_docs: { version: "1.0.0" }, // the same version, written without the series
        acme_sale_ext: { version: "17.0.1.0.0" },
        acme_new: { version: "17.0.1.0.0" },
      }),
      "17.0",
    );
    expect(plan).toEqual({
      upgraded: ["acme_base"],
      notInstalled: ["acme_new"],
      downgraded: [],
      invalid: [],
    });
  });

  it("a version that went down is reported, never updated; an invalid one is reported", () => {
    const plan = planModuleUpdate(
      installed,
      code({ acme_base: { version: "17.0.0.9.0" }, acme_docs: { version: "16.0.1.0.0" } }),
      "17.0",
    );
    expect(plan.upgraded).toEqual([]);
    expect(plan.downgraded).toEqual(["acme_base"]);
    expect(plan.invalid.map((i) => i.module)).toEqual(["acme_docs"]);
  });

  it("modules that are not installable are left out", () => {
    const plan = planModuleUpdate(
      installed,
      code({ acme_base: { version: "17.0.2.0.0", installable: false } }),
      "17.0",
    );
    expect(plan.upgraded).toEqual([]);
  });
});

describe("requirements.txt changes", () => {
  it("compares the lines whatever their order", () => {
    expect(sameRequirements(["a==1", "b"], ["b", "a==1"])).toBe(true);
    expect(sameRequirements(["a==1"], ["a==2"])).toBe(false);
    expect(sameRequirements(["a"], ["a", "b"])).toBe(false);
  });

  it("a build that recorded nothing counts as having none", () => {
    expect(sameRequirements(null, [])).toBe(true);
    expect(sameRequirements(null, ["a"])).toBe(false);
  });
});

describe("checksums a database's modules were last updated from", () => {
  it("takes the files now for updated and unrecorded modules, and keeps the record of the others", () => {
    const now = { a: "a2", b: "b2", c: "c1" };
    const recorded = { a: "a1", b: "b1" };
    expect(checksumsAfter(["a", "b", "c", "base"], now, recorded, ["a"])).toEqual({
      a: "a2",
      b: "b1",
      c: "c1",
    });
    expect(checksumsAfter(["a", "b"], now, recorded, "all")).toEqual({ a: "a2", b: "b2" });
    expect(checksumsAfter(["a"], now, null, [])).toEqual({ a: "a2" });
  });

  it("reads only a record of names to checksums", () => {
    expect(recordedChecksums({ a: "x" })).toEqual({ a: "x" });
    expect(recordedChecksums(null)).toBeNull();
    expect(recordedChecksums({ a: 1 })).toBeNull();
  });
});
