import { describe, expect, it } from "vitest";
import { type DnsAnswer, describeAnswer, judgeAnswer } from "./dns";

const answer = (partial: Partial<DnsAnswer>): DnsAnswer => ({
  cname: [],
  a: [],
  aaaa: [],
  error: null,
  ...partial,
});
const targets = ["acme.gantry.example"];
const ours = { v4: "203.0.113.5", v6: "2001:db8::5" };
const judge = (name: string, found: Partial<DnsAnswer>) => judgeAnswer(name, answer(found), targets, ours);

describe("judging a custom domain's DNS answer", () => {
  it("verifies a CNAME to an accepted host, or addresses that are all Gantry's", () => {
    expect(judge("www.x.test", { cname: targets, a: ["198.51.100.1"] })).toEqual({
      verified: true,
    });
    expect(judge("x.test", { a: ["203.0.113.5"], aaaa: ["2001:0db8:0:0::5"] })).toEqual({
      verified: true,
    });
  });

  it("says why not, naming what was found", () => {
    const other = judge("www.x.test", { cname: ["elsewhere.test"] });
    expect(other).toEqual({
      verified: false,
      reason: "www.x.test is a CNAME to elsewhere.test, not to acme.gantry.example",
    });
    const mixed = judge("x.test", { a: ["203.0.113.5", "198.51.100.1"] });
    expect(mixed.verified).toBe(false);
    expect(!mixed.verified && mixed.reason).toContain("198.51.100.1, which is not Gantry's address");
    const none = judge("x.test", {});
    expect(!none.verified && none.reason).toContain("no CNAME, A or AAAA record");
    const broken = judge("x.test", { error: "ETIMEOUT" });
    expect(!broken.verified && broken.reason).toContain("failed (ETIMEOUT)");
  });

  it("verifies no address when Gantry has none configured", () => {
    const verdict = judgeAnswer("x.test", answer({ a: ["192.0.2.1"] }), targets, { v4: "", v6: "" });
    expect(!verdict.verified && verdict.reason).toContain("no public address configured");
  });

  it("shows the answer as records", () => {
    expect(describeAnswer(answer({ cname: ["a.test"], a: ["192.0.2.1"] }))).toBe("CNAME a.test, A 192.0.2.1");
    expect(describeAnswer(answer({}))).toBe("no record");
    expect(describeAnswer(answer({ error: "ESERVFAIL" }))).toBe("lookup failed (ESERVFAIL)");
  });
});
