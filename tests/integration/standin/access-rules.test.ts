// A model that no ir.model.access row covers makes Odoo log a WARNING (a yellow build), in
// the words of its series: up to 17.0 one line per model once every module is loaded, from
// 18.0 one warning per module right after its data, with the CSV lines to add. A module whose
// security/ir.model.access.csv covers its model logs nothing above INFO.
import { chmod, mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { DB_ARGS, dataDir, dropDb, odoo, removeTestContainers, requireImages, uniqueDb } from "./helpers";

const dbs: string[] = [];

async function module(root: string, name: string, series: string, access: boolean): Promise<void> {
  await mkdir(join(root, name, "models"), { recursive: true });
  await mkdir(join(root, name, "security"), { recursive: true });
  await writeFile(join(root, name, "__init__.py"), "from . import models\n");
  await writeFile(join(root, name, "models", "__init__.py"), "from . import thing\n");
  await writeFile(
    join(root, name, "models", "thing.py"),
    `from odoo import fields, models\n\n\nclass Thing(models.Model):\n    _name = "${name}.thing"\n    _description = "Thing"\n\n    name = fields.Char()\n`,
  );
  const table = `${name}_thing`;
  await writeFile(
    join(root, name, "security", "ir.model.access.csv"),
    `id,name,model_id:id,group_id:id,perm_read,perm_write,perm_create,perm_unlink\naccess_${table},${table},model_${table},base.group_user,1,1,1,1\n`,
  );
  const data = access ? "'security/ir.model.access.csv'" : "";
  await writeFile(
    join(root, name, "__manifest__.py"),
    `{'name': '${name}', 'version': '${series}.1.0.0', 'depends': ['base'], 'data': [${data}], 'license': 'LGPL-3'}\n`,
  );
}

async function install(series: string): Promise<string> {
  const source = await mkdtemp(join(tmpdir(), "gantry-standin-access-"));
  await chmod(source, 0o755);
  await module(source, "acme_open", series, false);
  await module(source, "acme_closed", series, true);
  const db = uniqueDb();
  dbs.push(db);
  const run = await odoo(
    [
      "odoo",
      "-d",
      db,
      ...DB_ARGS,
      "--addons-path",
      "/mnt/extra-addons",
      "-i",
      "acme_open,acme_closed",
      "--stop-after-init",
    ],
    { source, data: await dataDir(), series },
  );
  expect(run.code, run.stdout + run.stderr).toBe(0);
  return run.stdout + run.stderr;
}

beforeAll(async () => {
  await requireImages(["17.0", "18.0"]);
});

afterAll(async () => {
  await removeTestContainers();
  for (const db of dbs) await dropDb(db);
});

it("warns about a model without access rules, one line per model, on 17.0", async () => {
  const log = await install("17.0");
  const warnings = log.split("\n").filter((line) => / WARNING /.test(line));
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toContain(
    "odoo.modules.loading: The model acme_open.thing has no access rules, consider adding one. E.g. access_acme_open_thing,",
  );
}, 180_000);

it("warns once per module with the lines to add, on 18.0", async () => {
  const log = await install("18.0");
  const warnings = log.split("\n").filter((line) => / WARNING /.test(line));
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toContain(
    "odoo.modules.loading: The models ['acme_open.thing'] have no access rules in module acme_open, consider adding some, like:",
  );
  expect(log).toContain(
    "acme_open.access_acme_open_thing,access_acme_open_thing,acme_open.model_acme_open_thing,base.group_user,1,0,0,0",
  );
}, 180_000);
