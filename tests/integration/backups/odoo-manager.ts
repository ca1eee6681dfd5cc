// Real Odoo's own database manager (/web/database/backup and /restore), served by an Odoo
// container this test starts on production's build cluster: the only instance with the
// database list and the manager enabled, behind a master password of its own.
import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { chmod, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { DB_ARGS, dataDir, logsOf, odooDetached, removeContainer, waitFor } from "../standin/helpers";

/** Databases the manager sees start with this (its db filter). */
export const MANAGED_PREFIX = "odoo_manager_";

export interface OdooManager {
  url: string;
  /** The server's data dir on the host: `filestore/<db>` is each database's filestore. */
  data: string;
  masterPassword: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Serves real Odoo with list_db on (its default) and a master password in its own config. */
export async function startOdooManager(): Promise<OdooManager> {
  const port = await freePort();
  const data = await dataDir();
  const masterPassword = randomBytes(12).toString("hex");
  const conf = await mkdtemp(join(tmpdir(), "gantry-odoo-manager-"));
  await chmod(conf, 0o755);
  await writeFile(
    join(conf, "odoo.conf"),
    // Only this test's databases (the cluster holds everyone's), and no crons polling them.
    `[options]\nadmin_passwd = ${masterPassword}\nlist_db = True\ndbfilter = ^${MANAGED_PREFIX}\nmax_cron_threads = 0\ndata_dir = /var/lib/odoo\n`,
  );
  await chmod(join(conf, "odoo.conf"), 0o644);
  const name = `gantry-odoo-manager-${randomBytes(4).toString("hex")}`;
  await odooDetached(
    [
      "odoo",
      "-c",
      "/mnt/conf/odoo.conf",
      ...DB_ARGS,
      "--http-interface",
      "127.0.0.1",
      "--http-port",
      String(port),
    ],
    { name, data, extraMounts: [`${conf}:/mnt/conf:ro`] },
  );
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(
      "the database manager to answer",
      async () => ((await fetch(`${url}/web/health`)).ok ? true : undefined),
      120_000,
    );
  } catch (error) {
    // Never left running: its logs say why it did not answer.
    const logs = (await logsOf(name).catch(() => "")).slice(-4000);
    await removeContainer(name);
    throw new Error(`${(error as Error).message}\n${logs}`);
  }
  return { url, data, masterPassword, stop: () => removeContainer(name) };
}

/** Odoo's own backup of `database` (zip with filestore) into a file; its path. */
export async function managerBackup(manager: OdooManager, database: string): Promise<string> {
  const response = await fetch(`${manager.url}/web/database/backup`, {
    method: "POST",
    body: new URLSearchParams({ master_pwd: manager.masterPassword, name: database, backup_format: "zip" }),
  });
  // Real Odoo 18 sends the zip as application/octet-stream: its first bytes tell what it is.
  if (!response.ok || !response.body)
    throw new Error(
      `backup of ${database}: HTTP ${response.status}: ${(await response.text()).slice(0, 2000)}`,
    );
  const file = join(await mkdtemp(join(tmpdir(), "gantry-odoo-backup-")), `${database}.zip`);
  await pipeline(
    Readable.fromWeb(response.body as import("node:stream/web").ReadableStream),
    createWriteStream(file),
  );
  const head = (await readFile(file)).subarray(0, 4);
  if (!head.equals(Buffer.from("PK\x03\x04", "latin1")))
    throw new Error(`backup of ${database}: not a zip: ${(await readFile(file, "utf8")).slice(0, 2000)}`);
  return file;
}

/** Odoo's own restore of the zip at `file` as `name`: the manager's page after it, as text. */
export async function managerRestore(manager: OdooManager, file: string, name: string): Promise<string> {
  const form = new FormData();
  form.set("master_pwd", manager.masterPassword);
  form.set("name", name);
  form.set("copy", "true");
  form.set(
    "backup_file",
    new Blob([new Uint8Array(await readFile(file))], { type: "application/zip" }),
    "backup.zip",
  );
  const response = await fetch(`${manager.url}/web/database/restore`, {
    method: "POST",
    body: form,
    redirect: "manual",
  });
  return `HTTP ${response.status} ${response.headers.get("location") ?? ""}\n${(await response.text()).slice(0, 4000)}`;
}

/**
 * A page of the manager's instance on `database`. Odoo answers `?db=` on a session without a
 * database by setting it in the session cookie and redirecting to the same URL, so the
 * request is made again with that cookie.
 */
export async function managerPage(manager: OdooManager, path: string, database: string): Promise<Response> {
  const url = `${manager.url}${path}?db=${encodeURIComponent(database)}`;
  const first = await fetch(url, { redirect: "manual" });
  if (first.status !== 302 && first.status !== 303) return first;
  const cookie = first.headers
    .getSetCookie()
    .map((line) => line.split(";")[0])
    .join("; ");
  return fetch(url, { headers: { cookie } });
}
