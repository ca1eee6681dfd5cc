// Addons discovery and the module graph over real git checkouts on disk, with a submodule.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import {
  addonsPath,
  diffModuleVersions,
  discoverAddons,
  ModuleGraph,
  normalizeVersion,
  planInstall,
  templateKey,
} from "@gantry/odoo";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const makeRepos = resolve(here, "../../fixtures/make-repos");

const gitEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: "Test",
  GIT_AUTHOR_EMAIL: "test@example.com",
  GIT_COMMITTER_NAME: "Test",
  GIT_COMMITTER_EMAIL: "test@example.com",
  GIT_CONFIG_NOSYSTEM: "1",
};

async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await run(
    "git",
    [
      "-c",
      "init.defaultBranch=main",
      "-c",
      "protocol.file.allow=always",
      "-c",
      "commit.gpgsign=false",
      ...args,
    ],
    { cwd, env: gitEnv },
  );
  return stdout;
}

/** Submodule paths of a checkout, as `.gitmodules` declares them. */
async function submodulePaths(checkout: string): Promise<string[]> {
  if (!existsSync(join(checkout, ".gitmodules"))) return [];
  const out = await git(checkout, "config", "-f", ".gitmodules", "--get-regexp", "^submodule\\..*\\.path$");
  return out
    .split("\n")
    .filter(Boolean)
    .map((line) => line.split(" ").slice(1).join(" "));
}

async function addModule(root: string, path: string, manifest: string): Promise<void> {
  await mkdir(join(root, path), { recursive: true });
  await writeFile(join(root, path, "__manifest__.py"), manifest);
  await writeFile(join(root, path, "__init__.py"), "");
}

describe("addons discovery over a git checkout with a submodule", () => {
  let work: string;
  let checkout: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), "gantry-odoo-checkout-"));
    // The vendored repository: two modules at its root.
    const vendor = join(work, "oca-web");
    await mkdir(vendor);
    await git(vendor, "init", "-q");
    await addModule(
      vendor,
      "web_responsive",
      "{'name': 'Web Responsive', 'version': '17.0.1.0.0', 'depends': ['web']}",
    );
    await addModule(
      vendor,
      "web_dialog_size",
      "{'name': 'Dialog Size', 'version': '1.2', 'depends': ['web'], 'installable': False}",
    );
    await git(vendor, "add", "-A");
    await git(vendor, "commit", "-q", "-m", "vendor modules");

    // The project: modules at the root and under addons/, hidden and non-module folders, the submodule.
    const project = join(work, "project");
    await mkdir(project);
    await git(project, "init", "-q");
    await addModule(
      project,
      "acme_sale",
      `# -*- coding: utf-8 -*-
{
    'name': 'ACME Sale',
    'version': '17.0.1.0.3',
    'depends': ['sale_management', 'web_responsive'],
    'data': ['views/sale_views.xml'],
    'license': 'LGPL-3',
}
`,
    );
    await addModule(
      project,
      "acme_stock",
      "{'name': 'ACME Stock', 'version': '1.1', 'depends': ['acme_sale', 'stock']}",
    );
    await addModule(project, "addons/acme_theme", "{'name': 'ACME Theme', 'depends': ['website']}");
    await addModule(project, ".github/not_a_module", "{'name': 'hidden'}");
    await mkdir(join(project, "doc"), { recursive: true });
    await writeFile(join(project, "doc", "index.md"), "# docs\n");
    await writeFile(join(project, "requirements.txt"), "phonenumbers==8.13.0\n");
    await git(project, "add", "-A");
    await git(project, "submodule", "add", "-q", join(work, "oca-web"), "vendor/oca-web");
    await git(project, "commit", "-q", "-m", "project");

    checkout = join(work, "checkout");
    await git(work, "clone", "-q", "--recurse-submodules", project, checkout);
  });

  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it("finds the addons folders and tells the repository's modules from the submodule's", async () => {
    const submodules = await submodulePaths(checkout);
    expect(submodules).toEqual(["vendor/oca-web"]);
    const found = await discoverAddons(checkout, { submodules });
    expect(found.errors).toEqual([]);
    expect(found.duplicates).toEqual([]);
    expect(found.addonsDirs).toEqual([
      { path: "", fromSubmodule: false },
      { path: "addons", fromSubmodule: false },
      { path: "vendor/oca-web", fromSubmodule: true },
    ]);
    expect(found.modules.map((m) => [m.name, m.fromSubmodule])).toEqual([
      ["acme_sale", false],
      ["acme_stock", false],
      ["acme_theme", false],
      ["web_dialog_size", true],
      ["web_responsive", true],
    ]);
    expect(
      addonsPath(
        checkout,
        found.addonsDirs,
        [{ hostDir: checkout, mountPoint: "/mnt/extra-addons" }],
        ["/usr/lib/python3/dist-packages/odoo/addons"],
      ),
    ).toEqual([
      "/mnt/extra-addons",
      "/mnt/extra-addons/addons",
      "/mnt/extra-addons/vendor/oca-web",
      "/usr/lib/python3/dist-packages/odoo/addons",
    ]);
  });

  it("plans installs and template keys from the real manifests", async () => {
    const found = await discoverAddons(checkout, { submodules: await submodulePaths(checkout) });
    const graph = ModuleGraph.fromDiscovery(found.modules);
    const mine = planInstall(graph, { mode: "mine" });
    expect(mine.modules).toEqual(["acme_sale", "acme_stock", "acme_theme"]);
    expect(mine.dependencies).toEqual(["web_responsive"]);
    expect([...mine.standard].sort()).toEqual(["base", "sale_management", "stock", "web", "website"]);
    const full = planInstall(graph, { mode: "full" });
    expect(full.modules).not.toContain("web_dialog_size");
    expect(full.modules).toContain("web_responsive");
    const key = templateKey({ series: "17.0", demo: true, modules: mine.standard });
    expect(key.modules).toEqual(["base", "sale_management", "stock", "web", "website"]);
    // Versions normalise per series; a module's version going up is seen.
    const versions = Object.fromEntries(found.modules.map((m) => [m.name, m.manifest.version]));
    expect(normalizeVersion(versions.acme_stock as string, "17.0")).toBe("17.0.1.1");
    expect(diffModuleVersions(versions, { ...versions, acme_sale: "17.0.1.0.4" }, "17.0").upgraded).toEqual([
      "acme_sale",
    ]);
  });

  it("without an initialised submodule, reports it empty instead of guessing", async () => {
    const bare = join(work, "no-submodules");
    await git(work, "clone", "-q", join(work, "project"), bare);
    const found = await discoverAddons(bare, { submodules: await submodulePaths(bare) });
    expect(found.emptySubmodules).toEqual(["vendor/oca-web"]);
    expect(found.addonsDirs.map((d) => d.path)).toEqual(["", "addons"]);
  });
});

describe("addons discovery over the acme17 fixture project", () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), "gantry-odoo-fixture-"));
  });
  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it.skipIf(!existsSync(makeRepos))(
    "finds acme17's modules and its acme-extra submodule (runs only where tests/fixtures/make-repos exists)",
    async () => {
      await run(makeRepos, [join(work, "repos")], { env: gitEnv });
      const checkout = join(work, "acme17");
      await git(work, "clone", "-q", "--recurse-submodules", join(work, "repos", "acme17.git"), checkout);
      const submodules = await submodulePaths(checkout);
      expect(submodules).toEqual(["addons/extra"]);
      const found = await discoverAddons(checkout, { submodules });
      expect(found.errors).toEqual([]);
      expect(found.addonsDirs).toEqual([
        { path: "", fromSubmodule: false },
        { path: "addons/extra", fromSubmodule: true },
      ]);
      const graph = ModuleGraph.fromDiscovery(found.modules);
      const plan = planInstall(graph, { mode: "mine" });
      expect(plan.modules).toEqual(expect.arrayContaining(["acme_base", "acme_sale_ext", "acme_docs"]));
      expect(plan.modules).not.toContain("acme_extra");
      expect(plan.modules.indexOf("acme_base")).toBeLessThan(plan.modules.indexOf("acme_sale_ext"));
      expect(plan.standard).toEqual(expect.arrayContaining(["base", "mail", "contacts"]));
      expect(found.modules.find((m) => m.name === "acme_extra")?.fromSubmodule).toBe(true);
      for (const module of found.modules)
        expect(normalizeVersion(module.manifest.version, "17.0")).toMatch(/^17\.0\./);
    },
  );
});
