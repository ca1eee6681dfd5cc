// Odoo lists every module of its addons path in ir_module_module, those it cannot install as
// 'uninstallable' (what a full installation leaves out), and lists one again as 'uninstalled'
// once its manifest says it is installable.
import { chmod, mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  cloneDb,
  DB_ARGS,
  dataDir,
  dropDb,
  makeTemplate,
  odoo,
  query,
  removeTestContainers,
  requireImages,
  uniqueDb,
} from "./helpers";

let template: string;
const db = uniqueDb();

async function module(root: string, name: string, installable: boolean): Promise<void> {
  await mkdir(join(root, name), { recursive: true });
  await writeFile(join(root, name, "__init__.py"), "");
  await writeFile(
    join(root, name, "__manifest__.py"),
    `{'name': '${name}', 'version': '17.0.1.0.0', 'depends': ['base'], 'license': 'LGPL-3', 'installable': ${installable ? "True" : "False"}}\n`,
  );
}

beforeAll(async () => {
  await requireImages(["17.0"]);
  template = await makeTemplate();
  await cloneDb(template, db);
}, 180_000);

afterAll(async () => {
  await removeTestContainers();
  for (const name of [db, template]) if (name) await dropDb(name);
});

it("lists a module it cannot install as uninstallable, then as uninstalled once it can be", async () => {
  const source = await mkdtemp(join(tmpdir(), "gantry-standin-modules-"));
  await chmod(source, 0o755);
  const data = await dataDir();
  await module(source, "acme_now", true);
  await module(source, "acme_old", false);
  const install = (name: string) =>
    odoo(
      ["odoo", "-d", db, ...DB_ARGS, "--addons-path", "/mnt/extra-addons", "-i", name, "--stop-after-init"],
      {
        source,
        data,
      },
    );
  const states = () =>
    query<{ name: string; state: string }>(
      db,
      "SELECT name, state FROM ir_module_module WHERE name LIKE 'acme%' ORDER BY name",
    );

  const first = await install("acme_now");
  expect(first.code, first.stdout + first.stderr).toBe(0);
  expect(await states()).toEqual([
    { name: "acme_now", state: "installed" },
    { name: "acme_old", state: "uninstallable" },
  ]);

  await module(source, "acme_old", true);
  const second = await install("acme_now");
  expect(second.code, second.stdout + second.stderr).toBe(0);
  expect(await states()).toEqual([
    { name: "acme_now", state: "installed" },
    { name: "acme_old", state: "uninstalled" },
  ]);
}, 180_000);
