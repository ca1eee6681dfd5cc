// Restored filestore files must be writable by the container's odoo user (uid 101).
import { chmod, chown, readdir } from "node:fs/promises";
import { join } from "node:path";
import { bestEffort, ifExists } from "@gantry/config";
import { ODOO_UID } from "../shared/workspace";

export async function giveToOdoo(dir: string): Promise<void> {
  try {
    await chown(dir, ODOO_UID, ODOO_UID);
  } catch {
    // Not root: chown is refused, so the folder is opened to everyone instead.
    await bestEffort(`opening ${dir} to Odoo`, chmod(dir, 0o777));
  }
  for (const entry of (await ifExists(readdir(dir, { withFileTypes: true }))) ?? []) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await giveToOdoo(path);
    else if (entry.isFile()) await chown(path, ODOO_UID, ODOO_UID).catch(() => chmod(path, 0o666));
  }
}
