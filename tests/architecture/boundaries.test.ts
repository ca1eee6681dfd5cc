// The boundary rules (.dependency-cruiser.cjs) must bite: a small tree laid out like Gantry's,
// where the web reaches dockerode only through core and a runtime package, and a package below
// core imports core, is cruised with the project's own rules and each breach is named.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = resolve(__dirname, "../..");
const run = promisify(execFile);
let tree: string;

async function file(path: string, text: string): Promise<void> {
  await mkdir(dirname(join(tree, path)), { recursive: true });
  await writeFile(join(tree, path), text);
}

async function workspacePackage(name: string, deps: string[], source: string): Promise<void> {
  const dependencies = Object.fromEntries(
    deps.map((d) => [d, d.startsWith("@gantry/") ? "workspace:*" : "1.0.0"]),
  );
  const pkg = { name: `@gantry/${name}`, type: "module", exports: { ".": "./src/index.ts" }, dependencies };
  await file(`packages/${name}/package.json`, JSON.stringify(pkg));
  await file(`packages/${name}/src/index.ts`, source);
  await mkdir(join(tree, "node_modules/@gantry"), { recursive: true });
  await symlink(join(tree, "packages", name), join(tree, "node_modules/@gantry", name));
}

type Violation = { from: string; to: string; rule: { name: string } };

async function cruise(...paths: string[]): Promise<Violation[]> {
  const bin = join(root, "node_modules/.bin/depcruise");
  const args = ["--config", join(root, ".dependency-cruiser.cjs"), "--output-type", "json", ...paths];
  // depcruise exits non-zero when it finds violations; the JSON on stdout says which.
  const out = await run(bin, args, { cwd: tree }).catch((error: { stdout?: string }) => ({
    stdout: error.stdout ?? "",
  }));
  return JSON.parse(out.stdout).summary.violations;
}

beforeAll(async () => {
  tree = await mkdtemp(join(tmpdir(), "gantry-boundaries-"));
  await file("package.json", JSON.stringify({ name: "fixture", private: true }));
  await file("node_modules/dockerode/package.json", JSON.stringify({ name: "dockerode", main: "index.js" }));
  await file("node_modules/dockerode/index.js", "module.exports = class Docker {};\n");
  await workspacePackage("config", [], "export const config = {};\n");
  // Named apart from packages/runtime, so only the dockerode it imports can trip the rules.
  await workspacePackage(
    "engine",
    ["dockerode"],
    'import Docker from "dockerode";\nexport const engine = new Docker();\n',
  );
  await workspacePackage(
    "core",
    ["@gantry/engine"],
    'import { engine } from "@gantry/engine";\nexport const health = () => engine;\n',
  );
  await workspacePackage(
    "queue",
    ["@gantry/core"],
    'import { health } from "@gantry/core";\nexport { health };\n',
  );
  await file("apps/web/package.json", JSON.stringify({ name: "web", dependencies: { "@gantry/core": "*" } }));
  await file(
    "apps/web/lib/status.ts",
    'import { health } from "@gantry/core";\nexport const status = health;\n',
  );
  await file("apps/worker/package.json", JSON.stringify({ name: "worker" }));
  await file(
    "apps/worker/src/uses-web.ts",
    'import { status } from "../../web/lib/status";\nexport { status };\n',
  );
});

afterAll(async () => {
  await rm(tree, { recursive: true, force: true });
});

describe("the project's boundary rules", () => {
  it("name each breach of the layers and of the no-Docker-in-web rule", async () => {
    const found = (await cruise("apps", "packages")).map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`);
    expect(found).toEqual(
      expect.arrayContaining([
        "web-never-docker: apps/web/lib/status.ts -> node_modules/dockerode/index.js",
        "core-never-docker: packages/core/src/index.ts -> node_modules/dockerode/index.js",
        "core-above-packages: packages/queue/src/index.ts -> packages/core/src/index.ts",
        "apps-apart: apps/worker/src/uses-web.ts -> apps/web/lib/status.ts",
        "packages-by-name: apps/worker/src/uses-web.ts -> apps/web/lib/status.ts",
      ]),
    );
  });

  it("let a package that breaks none of them pass", async () => {
    expect(await cruise("packages/config", "packages/engine")).toEqual([]);
  });
});
