import { resetConfigForTests } from "@gantry/config";
import { afterEach, describe, expect, it } from "vitest";
import { safeNext } from "@/lib/safe-next";
import { proxy } from "../../../apps/web/proxy";

afterEach(() => {
  delete process.env.PUBLIC_URL;
  resetConfigForTests();
});

function answerWith(publicUrl: string, path = "/projects"): Headers {
  process.env.PUBLIC_URL = publicUrl;
  resetConfigForTests();
  // The proxy reads only the request's path.
  const request = { nextUrl: new URL(path, publicUrl) } as unknown as Parameters<typeof proxy>[0];
  return proxy(request).headers;
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

  it("let only the dashboard frame a caught mail's HTML, which may run and load nothing", () => {
    const headers = answerWith("http://127.0.0.1:3000", "/api/v1/builds/b1/mails/m1/html");
    const policy = headers.get("content-security-policy") ?? "";
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("sandbox");
    expect(policy).toContain("frame-ancestors 'self'");
    expect(headers.get("x-frame-options")).toBe("SAMEORIGIN");
    // Anything else under the same prefix keeps the dashboard's policy.
    const raw = answerWith("http://127.0.0.1:3000", "/api/v1/builds/b1/mails/m1/raw");
    expect(raw.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(raw.get("x-frame-options")).toBe("DENY");
  });

  it("ask for HTTPS only when the dashboard is served over it", () => {
    expect(answerWith("https://gantry.example.com").get("strict-transport-security")).toBe(
      "max-age=31536000",
    );
  });
});
