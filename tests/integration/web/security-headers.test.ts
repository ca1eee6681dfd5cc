import { resetConfigForTests } from "@gantry/config";
import { afterEach, describe, expect, it } from "vitest";
import { safeNext } from "@/lib/safe-next";
import { proxy } from "../../../apps/web/proxy";

afterEach(() => {
  delete process.env.PUBLIC_URL;
  resetConfigForTests();
});

function answerWith(publicUrl: string): Headers {
  process.env.PUBLIC_URL = publicUrl;
  resetConfigForTests();
  return proxy().headers;
}

describe("after sign-in, only paths of this site", () => {
  it.each([
    "/\\evil.com",
    "//evil.com",
    "/%5Cevil.com",
    "/%5cevil.com",
    "/\t/evil.com",
    "/\n/evil.com",
    "/\u0001/evil.com",
    "https://evil.com/projects",
    "javascript:alert(1)",
    "evil.com",
    "",
  ])("refuses %j", (next) => {
    expect(safeNext(next)).toBe("/projects");
  });

  it("keeps a path of this site with its query and fragment", () => {
    expect(safeNext("/projects/abc/builds?stage=PRODUCTION#top")).toBe(
      "/projects/abc/builds?stage=PRODUCTION#top",
    );
    expect(safeNext(undefined)).toBe("/projects");
  });
});

describe("security headers", () => {
  it("are set on every answer: no framing, no sniffing, a same-origin policy", () => {
    const headers = answerWith("http://127.0.0.1:3000");
    const policy = headers.get("content-security-policy") ?? "";
    expect(policy).toContain("default-src 'self'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("object-src 'none'");
    expect(headers.get("x-frame-options")).toBe("DENY");
    expect(headers.get("x-content-type-options")).toBe("nosniff");
    expect(headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(headers.get("strict-transport-security")).toBeNull();
  });

  it("ask for HTTPS only when the dashboard is served over it", () => {
    expect(answerWith("https://gantry.example.com").get("strict-transport-security")).toBe(
      "max-age=31536000",
    );
  });
});
