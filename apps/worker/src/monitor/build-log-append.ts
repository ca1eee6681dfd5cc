// Appends lines Gantry writes (access.log, pg_slow_queries.log) to a build's logs folder. The
// build's Odoo writes into that folder too, so a name there may be a symlink or a FIFO the
// tenant planted: the file is opened from the folder without following links, and only a
// regular file is written.
import { constants } from "node:fs";
import type { BuildLogFile } from "@gantry/core";
import { workspaceOf } from "../shared/workspace";
import { openDirBelow, openFileAt } from "../shell/sftp/below";

const { O_WRONLY, O_APPEND, O_CREAT } = constants;

export async function appendBuildLog(
  buildId: string,
  file: BuildLogFile,
  lines: readonly string[],
): Promise<void> {
  if (lines.length === 0) return;
  const dir = await openDirBelow(workspaceOf(buildId).root, ["logs"]);
  try {
    const handle = await openFileAt(dir, file, O_WRONLY | O_APPEND | O_CREAT, 0o644);
    try {
      await handle.write(`${lines.join("\n")}\n`);
    } finally {
      await handle.close();
    }
  } finally {
    await dir.close();
  }
}
