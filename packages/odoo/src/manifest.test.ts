import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { effectiveDepends, ManifestError, parseManifest, readManifest } from "./manifest";

const realistic = `# Part of a project. See LICENSE file for full copyright and licensing details.
{
    'name': 'Sale Extension',
    'version': '17.0.1.0.3',
    'summary': """Adds things
to sales""",
    'category': 'Sales/Sales',
    'author': 'Example',
    'depends': ['sale_management', 'stock'],
    'data': [
        'security/ir.model.access.csv',
        'views/sale_order_views.xml',
    ],
    'demo': ['demo/demo.xml'],
    'assets': {'web.assets_backend': ['sale_ext/static/src/**/*']},
    'auto_install': ['sale_management'],
    'license': 'LGPL-3',
    'external_dependencies': {'python': ['phonenumbers']},
}
`;

describe("parseManifest", () => {
  it("reads a realistic manifest and applies Odoo's defaults", () => {
    const manifest = parseManifest(realistic);
    expect(manifest).toMatchObject({
      name: "Sale Extension",
      version: "17.0.1.0.3",
      summary: "Adds things\nto sales",
      depends: ["sale_management", "stock"],
      data: ["security/ir.model.access.csv", "views/sale_order_views.xml"],
      demo: ["demo/demo.xml"],
      installable: true,
      application: false,
      auto_install: ["sale_management"],
      license: "LGPL-3",
      external_dependencies: { python: ["phonenumbers"] },
    });
    // Keys the schema does not name are kept.
    expect(manifest.assets).toEqual({ "web.assets_backend": ["sale_ext/static/src/**/*"] });
  });

  it("defaults version, lists and flags for a minimal manifest", () => {
    expect(parseManifest("{'name': 'x'}")).toMatchObject({
      version: "1.0",
      depends: [],
      data: [],
      demo: [],
      installable: true,
      auto_install: false,
      license: "LGPL-3",
    });
  });

  it("treats an empty depends as depending on base, except for base", () => {
    expect(effectiveDepends("my_mod", parseManifest("{'depends': []}"))).toEqual(["base"]);
    expect(effectiveDepends("base", parseManifest("{'depends': []}"))).toEqual([]);
    expect(effectiveDepends("m", parseManifest("{'depends': ['mail']}"))).toEqual(["mail"]);
  });

  it("rejects manifests that are not a dict or have wrong field types", () => {
    expect(() => parseManifest("['name']")).toThrow(/must be a dict literal/);
    expect(() => parseManifest("{'depends': 'base'}")).toThrow(/depends/);
    expect(() => parseManifest("{'installable': 'yes'}")).toThrow(/installable/);
  });

  it("rejects code with the file and line", () => {
    const hostile = "{\n    'name': 'x',\n    'version': __import__('os').system('touch /tmp/pwned'),\n}";
    try {
      parseManifest(hostile, "evil/__manifest__.py");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ManifestError);
      expect((error as ManifestError).line).toBe(3);
      expect((error as Error).message).toMatch(/^evil\/__manifest__\.py: line 3, .*`__import__`/);
    }
  });
});

describe("readManifest", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "gantry-manifest-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("reads a manifest from disk, with a UTF-8 BOM", async () => {
    await writeFile(join(dir, "__manifest__.py"), `\ufeff${realistic}`);
    expect((await readManifest(dir)).name).toBe("Sale Extension");
  });

  it("refuses a 10 MB manifest by its size, before reading it", async () => {
    const big = join(dir, "big");
    await rm(big, { recursive: true, force: true });
    await import("node:fs/promises").then((fs) => fs.mkdir(big));
    await writeFile(join(big, "__manifest__.py"), `{'description': '${"x".repeat(10 * 1024 * 1024)}'}`);
    await expect(readManifest(big)).rejects.toThrow(/manifest larger than 1048576 bytes/);
  });

  it("refuses a manifest that is not UTF-8", async () => {
    const bad = join(dir, "bad");
    await import("node:fs/promises").then((fs) => fs.mkdir(bad));
    await writeFile(join(bad, "__manifest__.py"), Buffer.from([0x7b, 0x27, 0xff, 0x27, 0x7d]));
    await expect(readManifest(bad)).rejects.toThrow(/not valid UTF-8/);
  });
});
