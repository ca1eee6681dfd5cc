import { describe, expect, it } from "vitest";
import { buildSlug, servingSlug } from "./phases";

describe("build host labels", () => {
  it("gives each staging and development build its own DNS-safe label", () => {
    expect(buildSlug("acme", "feature/Ünïcode; rm -rf", "ckabc123def456")).toBe(
      "acme-feature-n-code-rm-rf-def456",
    );
    expect(servingSlug("STAGING", "acme", "main", "ckabc123def456")).toBe("acme-main-def456");
    expect(servingSlug("DEVELOPMENT", "acme", "dev", "ckabc123def457")).toBe("acme-dev-def457");
  });

  it("serves production at the project's own label, the same for every build", () => {
    expect(servingSlug("PRODUCTION", "acme", "main", "ckabc123def456")).toBe("acme");
    expect(servingSlug("PRODUCTION", "acme", "main", "ckzzz999def999")).toBe("acme");
  });

  it("never lets a production label collide with a build's", () => {
    const production = servingSlug("PRODUCTION", "acme", "main", "ckabc123def456");
    for (const stage of ["STAGING", "DEVELOPMENT"] as const) {
      expect(servingSlug(stage, "acme", "main", "ckabc123def456")).not.toBe(production);
    }
  });

  it("refuses build ids that are not Gantry's", () => {
    expect(() => buildSlug("acme", "main", "../etc")).toThrow(/unexpected build id/);
  });
});
