import { describe, expect, it } from "vitest";
import { languageOf, moduleOf, visibleEntries } from "./tree";

describe("the editor's tree", () => {
  const files = new Set([
    "acme_base/__manifest__.py",
    "acme_base/models/partner.py",
    "addons/acme_sale/__manifest__.py",
    "addons/acme_sale/views/sale.xml",
    "README.md",
  ]);

  it("finds the module of a file from the nearest manifest", () => {
    expect(moduleOf("acme_base/models/partner.py", files)).toBe("acme_base");
    expect(moduleOf("acme_base/__manifest__.py", files)).toBe("acme_base");
    expect(moduleOf("addons/acme_sale/views/sale.xml", files)).toBe("acme_sale");
    expect(moduleOf("README.md", files)).toBeNull();
    expect(moduleOf("addons/other.txt", files)).toBeNull();
  });

  it("colours Python, XML and JavaScript", () => {
    expect(languageOf("a/models.py")).toBe("python");
    expect(languageOf("a/views/x.XML")).toBe("xml");
    expect(languageOf("a/static/src/app.js")).toBe("javascript");
    expect(languageOf("README.md")).toBeNull();
  });

  it("shows entries under open folders only", () => {
    const entries = [
      { path: "a", type: "dir" as const },
      { path: "a/b", type: "dir" as const },
      { path: "a/b/c.py", type: "file" as const },
      { path: "a/d.py", type: "file" as const },
      { path: "e.md", type: "file" as const },
    ];
    expect(visibleEntries(entries, new Set()).map((e) => e.path)).toEqual(["a", "e.md"]);
    expect(visibleEntries(entries, new Set(["a"])).map((e) => e.path)).toEqual([
      "a",
      "a/b",
      "a/d.py",
      "e.md",
    ]);
    expect(visibleEntries(entries, new Set(["a/b"])).map((e) => e.path)).toEqual(["a", "e.md"]);
  });
});
