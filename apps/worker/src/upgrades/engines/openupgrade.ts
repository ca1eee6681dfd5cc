// OpenUpgrade (OCA): a checkout of its branch for the target series holds the
// `openupgrade_framework` module and `openupgrade_scripts/scripts/<module>/<version>/`
// migration scripts for the standard modules. The target series runs `-u all` with that
// checkout first in the addons path, its scripts as `--upgrade-path` and the framework loaded
// server-wide, as OpenUpgrade's own documentation runs it.
import { stat } from "node:fs/promises";
import { isAbsolute, join } from "node:path";
import type { UpgradeEngine } from "../engine";

const MOUNT = "/mnt/openupgrade";

export class OpenUpgradePathError extends Error {
  override readonly name = "OpenUpgradePathError";
}

async function isDir(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

/** Checks that `path` looks like an OpenUpgrade checkout and says what is missing otherwise. */
export async function checkOpenUpgradePath(path: string): Promise<void> {
  if (!isAbsolute(path) || path.includes(",") || path.includes("\0")) {
    throw new OpenUpgradePathError(`the OpenUpgrade path must be an absolute path without commas: ${path}`);
  }
  for (const part of ["openupgrade_framework", join("openupgrade_scripts", "scripts")]) {
    if (!(await isDir(join(path, part)))) {
      throw new OpenUpgradePathError(
        `${path} is not an OpenUpgrade checkout: ${part}/ is missing (clone OCA/OpenUpgrade at the target series)`,
      );
    }
  }
}

/** The `-u all` additions for an OpenUpgrade checkout at `hostPath`. */
export function openUpgradeExtras(hostPath: string) {
  return {
    mounts: [{ type: "bind" as const, source: hostPath, target: MOUNT, readOnly: true }],
    addonsPathFirst: [MOUNT],
    args: [`--upgrade-path=${MOUNT}/openupgrade_scripts/scripts`, "--load=base,web,openupgrade_framework"],
  };
}

export function openUpgradeEngine(hostPath: string | undefined): UpgradeEngine {
  return {
    name: "openupgrade",
    async upgrade(context) {
      if (!hostPath) {
        throw new OpenUpgradePathError(
          "the OpenUpgrade engine needs OPENUPGRADE_PATH: a checkout of OCA/OpenUpgrade for the target series",
        );
      }
      await checkOpenUpgradePath(hostPath);
      await context.log(`OpenUpgrade checkout ${hostPath} mounted at ${MOUNT}`);
      return { exitCode: await context.runOdooUpdate(openUpgradeExtras(hostPath)) };
    },
  };
}
