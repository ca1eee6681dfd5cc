import { describe, expect, it } from "vitest";
import { originalUriOf, refreshSeconds, wakePageHtml } from "./page";

describe("wake page", () => {
  it("refreshes itself while the build starts", () => {
    const html = wakePageHtml({ kind: "starting", host: "acme-main-x1.localhost" });
    expect(html).toContain(`<meta http-equiv="refresh" content="${refreshSeconds}">`);
    expect(html).toContain("Starting acme-main-x1.localhost");
    expect(html).toContain('data-state="starting"');
  });

  it("stops refreshing once starting failed, and says why", () => {
    const html = wakePageHtml({ kind: "failed", host: "h.localhost", reason: "the container is gone" });
    expect(html).not.toContain("http-equiv");
    expect(html).toContain("the container is gone");
  });

  it("escapes what came from the request or the worker", () => {
    const html = wakePageHtml({ kind: "failed", host: '<x">', reason: "<script>alert(1)</script>" });
    expect(html).not.toContain("<script>");
    expect(html).toContain("&#60;script&#62;");
    expect(html).not.toContain('<x">');
  });

  it("sends back only to a local path of the build", () => {
    expect(originalUriOf("/web/login?redirect=%2Fodoo")).toBe("/web/login?redirect=%2Fodoo");
    for (const bad of [null, "", "//evil.example/x", "https://evil.example/", "web", "/a b", "/\r\nx"]) {
      expect(originalUriOf(bad)).toBe("/");
    }
  });
});
