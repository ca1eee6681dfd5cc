import { describe, expect, it } from "vitest";
import { formatCidr, freeSubnet, gatewayOf, overlaps, parseCidr } from "./subnets";

describe("build network subnets", () => {
  it("parses and normalises a CIDR to its network address", () => {
    expect(formatCidr(parseCidr("10.213.7.9/16"))).toBe("10.213.0.0/16");
    expect(() => parseCidr("10.213.0.0")).toThrow(/CIDR/);
    expect(() => parseCidr("300.1.1.1/8")).toThrow(/CIDR/);
  });

  it("takes the first /24 of the pool that nothing overlaps", () => {
    expect(formatCidr(freeSubnet("10.213.0.0/16", []) ?? parseCidr("0.0.0.0/0"))).toBe("10.213.0.0/24");
    const used = ["10.213.0.0/24", "10.213.1.0/25", "172.17.0.0/16", "fd00::/64"];
    expect(formatCidr(freeSubnet("10.213.0.0/16", used) ?? parseCidr("0.0.0.0/0"))).toBe("10.213.2.0/24");
  });

  it("skips the whole pool when a wider network covers it, and says when it is full", () => {
    expect(freeSubnet("10.213.0.0/23", ["10.0.0.0/8"])).toBeNull();
    expect(freeSubnet("10.213.0.0/23", ["10.213.0.0/24", "10.213.1.0/24"])).toBeNull();
    expect(() => freeSubnet("10.213.0.0/25", [])).toThrow(/smaller than one \/24/);
  });

  it("gives the subnet's first address as its gateway", () => {
    expect(gatewayOf(parseCidr("10.213.4.0/24"))).toBe("10.213.4.1");
    expect(overlaps(parseCidr("10.213.4.0/24"), parseCidr("10.213.4.128/25"))).toBe(true);
    expect(overlaps(parseCidr("10.213.4.0/24"), parseCidr("10.213.5.0/24"))).toBe(false);
  });
});
