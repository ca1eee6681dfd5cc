// The engines other than the repository's scripts, offline. Odoo's upgrade service: its client
// against a local stand-in of the documented API (create, upload, process, status, download),
// through the whole procedure on the stand-in image; a request the service fails, and a
// refused contract, each leaving the source intact. OpenUpgrade: the checkout is checked, and
// its folders and options reach the target series' `-u all`.
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { odooServiceEngine } from "../../../apps/worker/src/upgrades/engines/odoo-service";
import { UpgradeServiceClient } from "../../../apps/worker/src/upgrades/engines/odoo-service-client";
import {
  checkOpenUpgradePath,
  openUpgradeEngine,
} from "../../../apps/worker/src/upgrades/engines/openupgrade";
import { fingerprint } from "../../../apps/worker/src/upgrades/fingerprint";
import { runUpgradeProcedure, UpgradeFailure } from "../../../apps/worker/src/upgrades/procedure";
import { startUpgradeServiceStandin, type UpgradeServiceStandin } from "../../support/odoo-upgrade-standin";
import { checkout, dropDb, PG, query, removeTestContainers } from "../standin/helpers";
import { attemptOn, databaseExists, makeAcme16Source, type Source16 } from "./support";

const dbs: string[] = [];
let source: Source16;
let before: Awaited<ReturnType<typeof fingerprint>>;
let service: UpgradeServiceStandin;
let code17: string;

const intact = async () =>
  expect(await fingerprint({ ...PG, database: source.database }, source.filestore)).toEqual(before);

function serviceEngine(contract = service.contract) {
  return odooServiceEngine({
    aim: "test",
    baseUrl: service.url,
    contract,
    email: "ops@acme.example.com",
    pollMs: 100,
  });
}

beforeAll(async () => {
  source = await makeAcme16Source("upg_eng");
  dbs.push(source.database);
  before = await fingerprint({ ...PG, database: source.database }, source.filestore);
  service = await startUpgradeServiceStandin();
  code17 = await checkout("acme16", "17.0");
});

afterAll(async () => {
  await service?.close();
  await removeTestContainers();
  for (const db of dbs) await dropDb(db);
});

describe("Odoo upgrade service engine", () => {
  it("sends the dump, follows the request to done, restores the archive and updates on 17.0", async () => {
    const { input, copy, steps } = await attemptOn(source, code17, { engine: serviceEngine() });
    dbs.push(copy);
    const report = await runUpgradeProcedure(input);
    expect(steps).toContain("update:done");
    expect(report.engine).toBe("odoo-service");
    expect(report.modules.find((m) => m.name === "acme_legacy")?.after).toBe("17.0.1.0.0");

    const paths = service.calls.map(
      (c) => `${c.method} ${c.path.replace(/\/database\/eu1\/.*/, "/database/eu1/…")}`,
    );
    expect(paths.slice(0, 4)).toEqual([
      "POST /database/v1/create",
      "POST /database/v1/upload",
      "POST /database/v1/process",
      "POST /database/v1/status",
    ]);
    expect(paths.at(-1)).toBe("GET /database/eu1/…");
    expect(paths.filter((p) => p === "POST /database/v1/status").length).toBe(2);
    const create = service.calls[0]!;
    expect(create.fields).toMatchObject({
      contract: service.contract,
      email: "ops@acme.example.com",
      target: "17.0",
      aim: "test",
    });
    expect(service.calls[1]!.bytes).toBeGreaterThan(0);
    const log = await readFile(input.logFile, "utf8");
    expect(log).toMatch(/upgrade service request \d+ created/);
    expect(log).toMatch(/upgrade service: done/);
    expect(
      (
        await query<{ stage: string }>(copy, "SELECT stage FROM acme_upgrade_log ORDER BY at, stage DESC")
      ).map((r) => r.stage),
    ).toEqual(["pre", "post"]);
    await intact();
  });

  it("fails the attempt when the service fails the request, with its message, and drops the copy", async () => {
    service.failNext("The database could not be upgraded: module acme_legacy is not supported");
    const { input, copy } = await attemptOn(source, code17, { engine: serviceEngine() });
    const failure = await runUpgradeProcedure(input).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(UpgradeFailure);
    expect((failure as UpgradeFailure).step).toBe("update");
    expect((failure as UpgradeFailure).message).toMatch(
      /ended the request as failed: The database could not be upgraded/,
    );
    expect(await databaseExists(copy)).toBe(false);
    await intact();
  });

  it("reports a refused contract in the service's words", async () => {
    const { input, copy } = await attemptOn(source, code17, { engine: serviceEngine("M-not-a-contract") });
    await expect(runUpgradeProcedure(input)).rejects.toThrow(/create: Invalid contract "M-not-a-contract"/);
    expect(await databaseExists(copy)).toBe(false);
    await intact();
  });

  it("refuses an answer that is not the service's JSON", async () => {
    const client = new UpgradeServiceClient({
      baseUrl: `${service.url}/nowhere/`,
      contract: "x",
      email: "a@b.c",
    });
    await expect(client.create({ target: "17.0", aim: "test", filename: "x.zip" })).rejects.toThrow(
      /no such method/,
    );
  });
});

describe("OpenUpgrade engine", () => {
  it("says what is missing from a folder that is not an OpenUpgrade checkout", async () => {
    const empty = await mkdtemp(join(tmpdir(), "gantry-openupgrade-"));
    await expect(checkOpenUpgradePath(empty)).rejects.toThrow(/openupgrade_framework\/ is missing/);
    await expect(checkOpenUpgradePath("relative/path")).rejects.toThrow(/absolute path/);
    const { input, copy } = await attemptOn(source, code17, { engine: openUpgradeEngine(undefined) });
    await expect(runUpgradeProcedure(input)).rejects.toThrow(/OPENUPGRADE_PATH/);
    expect(await databaseExists(copy)).toBe(false);
  });

  it("runs -u all with the checkout first in the addons path, its scripts and its framework loaded", async () => {
    // The layout of an OCA/OpenUpgrade checkout for 17.0: the framework module and the scripts tree.
    const root = await mkdtemp(join(tmpdir(), "gantry-openupgrade-"));
    await mkdir(join(root, "openupgrade_framework"), { recursive: true });
    await writeFile(
      join(root, "openupgrade_framework", "__manifest__.py"),
      "{'name': 'OpenUpgrade Framework', 'version': '17.0.1.0.0', 'depends': ['base'], 'installable': True}\n",
    );
    await writeFile(join(root, "openupgrade_framework", "__init__.py"), "");
    await mkdir(join(root, "openupgrade_scripts", "scripts", "base", "17.0.1.3"), { recursive: true });
    const { chmod } = await import("node:fs/promises");
    await chmod(root, 0o755);
    const { input, copy } = await attemptOn(source, code17, { engine: openUpgradeEngine(root) });
    dbs.push(copy);
    const report = await runUpgradeProcedure(input);
    expect(report.engine).toBe("openupgrade");
    expect(report.modules.find((m) => m.name === "acme_legacy")?.after).toBe("17.0.1.0.0");
    const log = await readFile(input.logFile, "utf8");
    expect(log).toMatch(/OpenUpgrade checkout .* mounted at \/mnt\/openupgrade/);
    const command = log.split("\n").find((line) => line.startsWith("$ odoo") && line.includes("-u all"));
    expect(command).toContain("--addons-path /mnt/openupgrade,/mnt/extra-addons");
    expect(command).toContain("--upgrade-path=/mnt/openupgrade/openupgrade_scripts/scripts");
    expect(command).toContain("--load=base,web,openupgrade_framework");
    await intact();
  });
});
