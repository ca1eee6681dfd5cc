import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addonsPath, discoverAddons, repositoryModules, submoduleModules } from "./addons";

async function module(root: string, path: string, manifest: string): Promise<void> {
  await mkdir(join(root, path), { recursive: true });
  await writeFile(join(root, path, "__manifest__.py"), manifest);
  await writeFile(join(root, path, "__init__.py"), "");
}

describe("discoverAddons", () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "gantry-addons-"));
    await module(root, "my_sale", "{'name': 'My Sale', 'depends': ['sale']}");
    await module(
      root,
      "my_stock",
      "{'name': 'My Stock', 'depends': ['stock', 'my_sale'], 'version': '17.0.1.1'}",
    );
    await module(root, "addons/extra_mod", "{'name': 'Extra'}");
    await module(root, "vendor/oca-web/web_responsive", "{'name': 'Responsive', 'depends': ['web']}");
    await module(root, "vendor/oca-web/web_dialog", "{'name': 'Dialog', 'installable': False}");
    await module(root, ".hidden/secret_mod", "{'name': 'Hidden'}");
    await module(root, "broken/bad_mod", "{'name': __import__('os')}");
    await module(root, "dup/my_sale", "{'name': 'Other my_sale'}");
    await mkdir(join(root, "vendor/empty-submodule"), { recursive: true });
    await mkdir(join(root, "docs"), { recursive: true });
    await writeFile(join(root, "README.md"), "# project\n");
    // A link loop and a link that escapes the checkout: both must be harmless.
    await symlink(root, join(root, "docs", "loop"));
    await symlink(tmpdir(), join(root, "docs", "escape"));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("finds addons folders, modules and their origin", async () => {
    const found = await discoverAddons(root, { submodules: ["vendor/oca-web", "vendor/empty-submodule"] });
    expect(found.addonsDirs).toEqual([
      { path: "", fromSubmodule: false },
      { path: "addons", fromSubmodule: false },
      { path: "broken", fromSubmodule: false },
      { path: "dup", fromSubmodule: false },
      { path: "vendor/oca-web", fromSubmodule: true },
    ]);
    expect(found.modules.map((m) => `${m.path}:${m.fromSubmodule}`)).toEqual([
      "my_sale:false",
      "my_stock:false",
      "addons/extra_mod:false",
      "dup/my_sale:false",
      "vendor/oca-web/web_dialog:true",
      "vendor/oca-web/web_responsive:true",
    ]);
    expect(found.modules.find((m) => m.name === "my_stock")?.manifest.version).toBe("17.0.1.1");
    expect(found.errors).toEqual([
      { path: "broken/bad_mod", error: expect.stringContaining("`__import__`") },
    ]);
    expect(found.duplicates).toEqual([{ name: "my_sale", paths: ["my_sale", "dup/my_sale"] }]);
    expect(found.emptySubmodules).toEqual(["vendor/empty-submodule"]);
    expect(repositoryModules(found).map((m) => m.name)).toEqual([
      "my_sale",
      "my_stock",
      "extra_mod",
      "my_sale",
    ]);
    expect(submoduleModules(found).map((m) => m.name)).toEqual(["web_dialog", "web_responsive"]);
  });

  it("without submodule paths, a vendored folder counts as the repository's", async () => {
    const found = await discoverAddons(root);
    expect(found.modules.filter((m) => m.fromSubmodule)).toEqual([]);
    expect(found.addonsDirs.map((d) => d.path)).toContain("vendor/oca-web");
  });

  it("refuses submodule paths outside the checkout", async () => {
    await expect(discoverAddons(root, { submodules: ["../elsewhere"] })).rejects.toThrow(
      /inside the checkout/,
    );
  });

  it("bounds the number of folders visited", async () => {
    await expect(discoverAddons(root, { maxDirectories: 3 })).rejects.toThrow(/more than 3 folders/);
  });
});

describe("addonsPath", () => {
  it("maps addons folders through the longest mount and appends the image's folders", () => {
    const dirs = [
      { path: "", fromSubmodule: false },
      { path: "addons", fromSubmodule: false },
      { path: "vendor/oca-web", fromSubmodule: true },
    ];
    expect(
      addonsPath(
        "/srv/builds/42/src",
        dirs,
        [
          { hostDir: "/srv/builds/42/src", mountPoint: "/mnt/extra-addons" },
          { hostDir: "/srv/builds/42/src/vendor", mountPoint: "/mnt/vendor" },
        ],
        ["/usr/lib/python3/dist-packages/odoo/addons"],
      ),
    ).toEqual([
      "/mnt/extra-addons",
      "/mnt/extra-addons/addons",
      "/mnt/vendor/oca-web",
      "/usr/lib/python3/dist-packages/odoo/addons",
    ]);
  });

  it("refuses folders under no mount and commas", () => {
    expect(() =>
      addonsPath("/a", [{ path: "", fromSubmodule: false }], [{ hostDir: "/b", mountPoint: "/m" }]),
    ).toThrow(/under no mount/);
    expect(() =>
      addonsPath("/a", [{ path: "x,y", fromSubmodule: false }], [{ hostDir: "/a", mountPoint: "/m" }]),
    ).toThrow(/comma/);
  });
});
