// Neutralizing a copy of production for staging, as Odoo.sh does: the SQL part first (crons,
// outgoing and incoming mail servers off, `database.is_neutralized`), so the copy is harmless
// even if the command cannot run; then `odoo neutralize -d DB` in the build's image with the
// build's own role (every installed module's neutralize.sql); then the credentials check.
import type { DbServerConnection } from "@gantry/core";
import { type CommonOptions, neutralizeCommand } from "@gantry/odoo";
import { adminEndpoint } from "@gantry/postgres";
import { neutralizeDatabase, removeWeakCredentials } from "../backups/database-safety";
import { type BuildContext, note, PhaseError, runOdoo } from "./context";

/** Known demo/test passwords (admin/admin, demo/demo, ...) replaced; the change noted in the log. */
export async function credentialsCheck(
  server: DbServerConnection,
  database: string,
  logFile: string,
): Promise<string[]> {
  const reset = await removeWeakCredentials(adminEndpoint(server, database));
  await note(
    logFile,
    reset.length > 0
      ? `credentials check: known weak passwords removed for ${reset.join(", ")}`
      : "credentials check: no known weak password",
  );
  return reset;
}

export async function neutralize(
  ctx: BuildContext,
  input: {
    server: DbServerConnection;
    database: string;
    options: CommonOptions;
    dataDir: string;
    logFile: string;
  },
): Promise<void> {
  const done = await neutralizeDatabase(adminEndpoint(input.server, input.database));
  for (const step of done) await note(input.logFile, `neutralize: ${step}`);
  const exitCode = await runOdoo(ctx, {
    role: "tool",
    cmd: neutralizeCommand(input.options),
    connection: input.options.connection,
    dataDir: input.dataDir,
    logFile: input.logFile,
  });
  if (exitCode !== 0)
    throw new PhaseError("database", `odoo neutralize failed (exit ${exitCode}); see update.log`);
  await credentialsCheck(input.server, input.database, input.logFile);
}
