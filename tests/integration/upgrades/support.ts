// Shared by the upgrade suites: a 16.0 database made by the stand-in from the acme16 fixture
// (acme_legacy with data and two attachments in the filestore), and the procedure's input
// for one attempt on it, with the steps it reports collected.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DockerRuntime } from "@gantry/runtime";
import { scriptsEngine } from "../../../apps/worker/src/upgrades/engines/scripts";
import type { ProcedureInput } from "../../../apps/worker/src/upgrades/procedure";
import {
  checkout,
  DB_ARGS,
  dataDir,
  imageOf,
  odoo,
  PG,
  query,
  requireImages,
  uniqueDb,
} from "../standin/helpers";

export interface Source16 {
  database: string;
  dataDir: string;
  filestore: string;
}

export async function makeAcme16Source(prefix = "upg_src"): Promise<Source16> {
  await requireImages(["16.0", "17.0"]);
  const database = uniqueDb(prefix);
  const data = await dataDir();
  const installed = await odoo(
    [
      "odoo",
      "-d",
      database,
      ...DB_ARGS,
      "--addons-path",
      "/mnt/extra-addons",
      "-i",
      "acme_legacy",
      "--without-demo=all",
      "--stop-after-init",
    ],
    { series: "16.0", source: await checkout("acme16", "main"), data },
  );
  if (installed.code !== 0) throw new Error(`16.0 install failed:\n${installed.stdout}${installed.stderr}`);
  return { database, dataDir: data, filestore: join(data, "filestore", database) };
}

export const localServer = {
  id: "local",
  name: "local",
  host: PG.host,
  port: PG.port,
  adminUser: PG.user,
  adminPassword: PG.password,
  pool: null,
};

const runtime = new DockerRuntime();

/** The input of one attempt from `source` to 17.0 with the code at `code`; the copy's name is new. */
export async function attemptOn(source: Source16, code: string, overrides: Partial<ProcedureInput> = {}) {
  const copy = uniqueDb("upg_copy");
  const steps: string[] = [];
  const input: ProcedureInput = {
    runtime,
    admin: localServer,
    role: { user: PG.user, password: PG.password },
    source: { database: source.database, dataDir: source.dataDir },
    copy: { database: copy, dataDir: source.dataDir },
    code: { dir: code, addonsPath: ["/mnt/extra-addons"] },
    fromSeries: "16.0",
    toSeries: "17.0",
    image: imageOf("17.0"),
    engine: scriptsEngine,
    logFile: join(await mkdtemp(join(tmpdir(), "gantry-upgrade-log-")), "upgrade.log"),
    namePrefix: `gantry-test-upgrade-${copy}`.replaceAll("_", "-"),
    owner: {},
    signal: new AbortController().signal,
    onStep: async (name, status) => {
      steps.push(`${name}:${status}`);
    },
    ...overrides,
  };
  return { input, copy, steps };
}

export async function databaseExists(db: string): Promise<boolean> {
  return (await query("postgres", "SELECT 1 FROM pg_database WHERE datname = $1", [db])).length > 0;
}

/** Waits until the attempt has ended (succeeded, failed or cancelled) and returns its row. */
export async function attemptEnded(attemptId: string, deadlineMs = 300_000) {
  const { prisma } = await import("@gantry/db");
  const { waitFor } = await import("../builds/support");
  return waitFor(
    `upgrade attempt ${attemptId} to end`,
    async () => {
      const row = await prisma().upgradeAttempt.findUniqueOrThrow({ where: { id: attemptId } });
      return ["SUCCEEDED", "FAILED", "CANCELLED"].includes(row.status) ? row : undefined;
    },
    deadlineMs,
  );
}
