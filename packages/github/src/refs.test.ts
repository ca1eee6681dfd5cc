import { describe, expect, it } from "vitest";
import { branchFromRef, isValidBranchName, safeSlug } from "./refs";

describe("isValidBranchName (git check-ref-format --branch)", () => {
  it.each([
    "main",
    "feature/x",
    "17.0-fix_bug",
    "user/ada/topic",
    "a.b",
    "rél-é",
    "分支",
    "x".repeat(200),
    "a@b",
    "semi;colon",
    "$(whoami)",
    "';DROP-TABLE-builds;--",
  ])("accepts %j", (name) => {
    expect(isValidBranchName(name)).toBe(true);
  });

  it.each([
    "",
    "@",
    "HEAD",
    "-rf",
    "a..b",
    "a b",
    "tab\tname",
    "new\nline",
    "nul\0",
    "del\x7f",
    "a~1",
    "a^",
    "a:b",
    "a?",
    "a*",
    "a[0]",
    "a\\b",
    "a@{1}",
    "x.lock",
    "dir/x.lock/y",
    ".hidden",
    "dir/.hidden",
    "trailing/",
    "/leading",
    "double//slash",
    "ends.",
    "x".repeat(256),
    "\ud800lone",
  ])("refuses %j", (name) => {
    expect(isValidBranchName(name)).toBe(false);
  });
});

describe("branchFromRef", () => {
  it("takes branch refs only", () => {
    expect(branchFromRef("refs/heads/feature/x")).toBe("feature/x");
    expect(branchFromRef("refs/tags/v1")).toBeNull();
    expect(branchFromRef("refs/heads/a..b")).toBeNull();
    expect(branchFromRef("main")).toBeNull();
  });
});

describe("safeSlug", () => {
  const dnsLabel = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

  it("keeps simple names unchanged", () => {
    expect(safeSlug("main")).toBe("main");
    expect(safeSlug("17-0-dev")).toBe("17-0-dev");
  });

  it("alters and hashes names with other characters", () => {
    const slug = safeSlug("Feature/X");
    expect(slug).toMatch(/^feature-x-[0-9a-f]{6}$/);
    expect(safeSlug("feature/x")).not.toBe(safeSlug("feature-x"));
    expect(safeSlug("feature/x")).not.toBe(safeSlug("Feature/X"));
  });

  it("is deterministic", () => {
    expect(safeSlug("a/b/c")).toBe(safeSlug("a/b/c"));
  });

  it.each([
    "$(rm -rf /)",
    "`id`",
    "a;b|c&d>e<f",
    "'; DROP DATABASE gantry; --",
    'x" OR "1"="1',
    "émoji-🚀-branch",
    "分支",
    "ÅNGSTRÖM",
    "---",
    "...",
    "x".repeat(300),
    `${"ab/".repeat(60)}end`,
    "a\u0000b",
    "\u202eevil",
    "-leading-dash",
  ])("makes a DNS label of hostile %j", (name) => {
    const slug = safeSlug(name);
    expect(slug).toMatch(dnsLabel);
    expect(slug.length).toBeLessThanOrEqual(63);
  });

  it("keeps long names distinct after truncation", () => {
    const a = `${"x".repeat(100)}a`;
    const b = `${"x".repeat(100)}b`;
    expect(safeSlug(a)).not.toBe(safeSlug(b));
    expect(safeSlug(a)).toHaveLength(63);
  });
});
