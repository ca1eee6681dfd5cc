// A build's folders under GANTRY_DATA_DIR/builds/<id>: src (the work tree), data (Odoo's data
// dir, owned by the image's odoo user, uid 101) and logs (kept after the container is gone).
import { constants } from "node:fs";
import { chmod, chown, mkdir, open, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { config } from "@gantry/config";

export const ODOO_UID = 101;

export interface Workspace {
  root: string;
  src: string;
  data: string;
  logs: string;
}

export function dataRoot(): string {
  return resolve(config().GANTRY_DATA_DIR);
}

export function workspaceOf(buildId: string): Workspace {
  const root = join(dataRoot(), "builds", buildId);
  return { root, src: join(root, "src"), data: join(root, "data"), logs: join(root, "logs") };
}

/** A folder the container's odoo user can write to (owned by it when we may chown). */
export async function odooWritable(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  try {
    await chown(dir, ODOO_UID, ODOO_UID);
  } catch {
    await chmod(dir, 0o777);
  }
}

export async function prepareWorkspace(buildId: string): Promise<Workspace> {
  const ws = workspaceOf(buildId);
  // A retried build starts its work tree again; its logs are kept and appended to.
  await rm(ws.src, { recursive: true, force: true });
  await mkdir(ws.root, { recursive: true, mode: 0o755 });
  await chmod(ws.root, 0o755);
  await odooWritable(ws.data);
  // Gantry's alone: the serving container gets its odoo.log file mounted, never the folder, so
  // the tenant cannot plant a symlink where Gantry appends its notes.
  await mkdir(ws.logs, { recursive: true, mode: 0o755 });
  await chown(ws.logs, process.getuid?.() ?? 0, process.getgid?.() ?? 0);
  await chmod(ws.logs, 0o755);
  return ws;
}

/** Where a serving container's Odoo writes its log (`--logfile`). */
export const ODOO_LOG_MOUNT = "/var/log/gantry-build/odoo.log";

/**
 * The server log Odoo writes from inside the serving container: made here as a regular file
 * of Odoo's user (never through a symlink), and mounted alone, at ODOO_LOG_MOUNT.
 */
export async function odooLogMount(logs: string): Promise<{ type: "bind"; source: string; target: string }> {
  return { type: "bind", source: await odooLogFile(logs), target: ODOO_LOG_MOUNT };
}

async function odooLogFile(logs: string): Promise<string> {
  const path = join(logs, "odoo.log");
  const file = await open(
    path,
    constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND | constants.O_NOFOLLOW,
  );
  try {
    if (!(await file.stat()).isFile()) throw new Error(`${path} is not a regular file`);
    await file.chown(ODOO_UID, ODOO_UID).catch(() => file.chmod(0o666));
  } finally {
    await file.close();
  }
  return path;
}

/** Removes the work tree, data dir and Odoo config of a build; its logs stay. */
export async function clearWorkspace(buildId: string): Promise<void> {
  const ws = workspaceOf(buildId);
  await rm(ws.src, { recursive: true, force: true });
  await rm(ws.data, { recursive: true, force: true });
  await rm(join(ws.root, "odoo.conf"), { force: true }); // the serve's master password
}

/**
 * Odoo's data dir of production, kept across the branch's builds like its database: every
 * production build of the branch serves the same filestore. `rollback` holds the snapshot
 * taken before an update.
 */
export function productionDirs(branchId: string): { data: string; rollback: string } {
  if (!/^[a-z0-9]{1,40}$/.test(branchId)) throw new Error(`unexpected branch id ${JSON.stringify(branchId)}`);
  const root = join(dataRoot(), "production", branchId);
  return { data: join(root, "data"), rollback: join(root, "rollback") };
}

/**
 * Odoo's data dir (filestore under `filestore/<database>`) that serves a build: where backups
 * read the filestore from and restores write it to. Production's is the branch's, kept
 * across builds; other stages have one per build.
 */
export function odooDataDirOf(build: { id: string; stage?: string; branchId?: string }): string {
  if (build.stage === "PRODUCTION" && build.branchId) return productionDirs(build.branchId).data;
  return workspaceOf(build.id).data;
}

/** Where Odoo keeps the files of `database` under its data folder. */
export function filestoreOf(dataDir: string, database: string): string {
  return join(dataDir, "filestore", database);
}
