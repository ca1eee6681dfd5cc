import { describe, expect, it } from "vitest";
import { branchImage, revisionOf, revisionTag } from "./revisions";

describe("Odoo revisions", () => {
  it("names a revision by the first 12 hex digits of the image id", () => {
    expect(revisionOf(`sha256:b493e5ee4c55${"6".repeat(52)}`)).toBe("b493e5ee4c55");
    expect(revisionOf("b493e5ee4c5564bf")).toBe("b493e5ee4c55");
  });
  it("refuses what is not an image id", () => {
    expect(() => revisionOf("gantry/odoo:17.0")).toThrow(/not an image id/);
    expect(() => revisionOf("sha256:abc")).toThrow(/not an image id/);
  });
  it("runs the series' tag on latest and the revision's own tag when pinned", () => {
    expect(branchImage("17.0", null)).toBe("gantry/odoo:17.0");
    expect(branchImage("17.0", "b493e5ee4c55")).toBe("gantry/odoo:17.0-b493e5ee4c55");
    expect(revisionTag("saas-17.2", "b493e5ee4c55")).toEqual({
      repository: "gantry/odoo",
      tag: "saas-17.2-b493e5ee4c55",
    });
  });
});
