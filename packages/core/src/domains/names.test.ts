import { describe, expect, it } from "vitest";
import { displayName, isApex, normalizeDomain } from "./names";

describe("custom domain names", () => {
  it("stores one form: lower case, no trailing dot, punycode", () => {
    expect(normalizeDomain("  WWW.Example.COM. ")).toBe("www.example.com");
    expect(normalizeDomain("shop.bücher.example")).toBe("shop.xn--bcher-kva.example");
    expect(displayName("shop.xn--bcher-kva.example")).toBe("shop.bücher.example");
  });

  it("refuses what is not a plain host name, saying what to type", () => {
    expect(() => normalizeDomain("https://www.example.com/")).toThrow("type the name only");
    expect(() => normalizeDomain("www.example.com:8080")).toThrow("type the name only");
    expect(() => normalizeDomain("*.example.com")).toThrow("Wildcard");
    expect(() => normalizeDomain("192.0.2.1")).toThrow("IP address");
    expect(() => normalizeDomain("intranet")).toThrow("no top-level domain");
    expect(() => normalizeDomain("-x.example.com")).toThrow("not a valid domain name");
    expect(() => normalizeDomain(`${"a".repeat(64)}.example.com`)).toThrow("63 characters");
    expect(() => normalizeDomain("")).toThrow("Type a domain name");
  });

  it("never takes a name under BASE_DOMAIN", () => {
    expect(() => normalizeDomain("acme.localhost")).toThrow("Gantry's own build addresses");
    expect(() => normalizeDomain("localhost.")).toThrow();
  });

  it("tells bare domains apart", () => {
    expect(isApex("example.com")).toBe(true);
    expect(isApex("example.co.uk")).toBe(true);
    expect(isApex("www.example.com")).toBe(false);
    expect(isApex("shop.example.co.uk")).toBe(false);
  });
});
