import { describe, expect, it } from "vitest";
import { ident, qualifiedName, quoteIdent } from "./identifiers";

describe("quoteIdent", () => {
  it("quotes plain names", () => {
    expect(quoteIdent("res_partner")).toBe('"res_partner"');
    expect(quoteIdent("Mixed Case")).toBe('"Mixed Case"');
  });

  it("doubles quotes, so a hostile name cannot end the identifier", () => {
    expect(quoteIdent('x"; DROP TABLE res_users; --')).toBe('"x""; DROP TABLE res_users; --"');
    expect(quoteIdent('"')).toBe('""""');
    expect(quoteIdent('a""b')).toBe('"a""""b"');
  });

  it("keeps other characters as they are", () => {
    expect(quoteIdent("a.b")).toBe('"a.b"');
    expect(quoteIdent("données$1 'x'")).toBe(`"données$1 'x'"`);
    expect(quoteIdent("a\\b\nc")).toBe('"a\\b\nc"');
  });

  it("refuses NUL characters and empty names", () => {
    expect(() => quoteIdent("a\0b")).toThrow(/NUL/);
    expect(() => quoteIdent('\0"')).toThrow(/NUL/);
    expect(() => quoteIdent("")).toThrow(/empty/);
  });
});

describe("qualifiedName", () => {
  it("quotes both parts separately", () => {
    expect(qualifiedName("public", "res_users")).toBe('"public"."res_users"');
    expect(qualifiedName('s"x', "t.y")).toBe('"s""x"."t.y"');
  });

  it("refuses a NUL in either part", () => {
    expect(() => qualifiedName("public", "t\0")).toThrow(/NUL/);
    expect(() => qualifiedName("\0", "t")).toThrow(/NUL/);
  });
});

describe("ident", () => {
  it("quotes names of Gantry's shape", () => {
    expect(ident("gantry_p_abc123")).toBe('"gantry_p_abc123"');
    expect(ident("_x")).toBe('"_x"');
    expect(ident("a".repeat(63))).toBe(`"${"a".repeat(63)}"`);
  });

  it("refuses anything else", () => {
    for (const name of ['a"b', "A", "1abc", "", "a-b", "a b", "a\0", "a".repeat(64), "é", "x;drop"])
      expect(() => ident(name), name).toThrow(/unsafe identifier/);
  });
});
