import { describe, expect, it } from "vitest";
import { branchSettingsInput } from "./settings";

describe("branch settings input", () => {
  it("takes test tags in Odoo's --test-tags syntax", () => {
    for (const tags of [
      "/acme_base",
      "acme,-slow",
      "post_install/sale:TestSale.test_x",
      "*/my_module,-/web",
      "",
    ])
      expect(branchSettingsInput.safeParse({ testTags: tags }).success).toBe(true);
  });

  it("refuses test tags Odoo would not read, saying what the syntax is", () => {
    for (const tags of ["a:b:c", "/x y", "-", "acme;rm", "$(rm -rf /)"]) {
      const parsed = branchSettingsInput.safeParse({ testTags: tags });
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0]?.message).toMatch(/test tags/);
    }
  });
});
