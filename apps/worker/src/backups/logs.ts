// The build's log files go into storage beside its backup archive (`<backup>-logs/<file>`):
// an Odoo backup zip may hold only dump.sql, manifest.json and filestore/, and Odoo restores
// would refuse anything else, so the logs travel next to it, not inside it.
import { createReadStream } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { type BackupStorage, validateKey } from "@gantry/backup";
import { ifExists } from "@gantry/config";
import { backupLogsPrefix } from "@gantry/core";
import { workspaceOf } from "../shared/workspace";

export async function storeBuildLogs(
  storage: BackupStorage,
  archiveKey: string,
  buildId: string,
): Promise<string[]> {
  const dir = workspaceOf(buildId).logs;
  const entries = (await ifExists(readdir(dir, { withFileTypes: true }))) ?? [];
  const stored: string[] = [];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const key = `${backupLogsPrefix(archiveKey)}${entry.name}`;
    try {
      validateKey(key);
    } catch {
      continue; // a file name that cannot be a storage key is not one Gantry wrote
    }
    await storage.put(key, createReadStream(join(dir, entry.name)));
    stored.push(entry.name);
  }
  return stored;
}
