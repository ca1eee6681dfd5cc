// A rehearsal works on a copy of production, which must never act like production: crons and
// mail servers off and known weak passwords replaced (the SQL a staging copy gets), then every
// installed module's neutralize.sql through `odoo neutralize` in the source series' image.
import { appendFile } from "node:fs/promises";
import { entrypointEnvironment, neutralizeCommand } from "@gantry/odoo";
import type { PgEndpoint } from "@gantry/postgres";
import type { ContainerRuntime } from "@gantry/runtime";
import { neutralizeDatabase, removeWeakCredentials } from "../backups/database-safety";
import { runToLogFile } from "../shared/odoo-run";

export async function neutralizeCopy(input: {
  runtime: ContainerRuntime;
  /** Port and password spelled out: Odoo's command line and environment need both. */
  target: PgEndpoint & { port: number; password: string };
  image: string;
  containerName: string;
  owner: { project?: string; branch?: string };
  logFile: string;
  signal: AbortSignal;
}): Promise<void> {
  const done = await neutralizeDatabase(input.target);
  await appendFile(input.logFile, `neutralized: ${done.join("; ")}\n`);
  const reset = await removeWeakCredentials(input.target);
  if (reset.length > 0) await appendFile(input.logFile, `weak passwords replaced for: ${reset.join(", ")}\n`);
  const { database, ...connection } = input.target;
  const exitCode = await runToLogFile(
    input.runtime,
    {
      name: input.containerName,
      image: input.image,
      cmd: neutralizeCommand({ db: database, connection, omitPassword: true }),
      env: entrypointEnvironment(connection),
      owner: input.owner,
      labels: { "gantry.role": "upgrade-neutralize" },
      networkMode: "host",
    },
    input.logFile,
    input.signal,
  );
  if (exitCode !== 0) throw new Error(`odoo neutralize failed (exit ${exitCode}); see upgrade.log`);
}
