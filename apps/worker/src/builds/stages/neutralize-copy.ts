// A copy of production's data made safe to run beside production: Odoo's own neutralization
// (crons, mail servers, payment providers, ...) and the known weak passwords removed.
import { credentialsCheck, neutralize } from "../../shared/neutralize";
import { type BuildContext, inContainer, note, ODOO_DATA_MOUNT, PhaseError, runOdoo } from "../context";
import type { PreparedDatabase } from "./types";

/** Neutralizes the build's database, a copy it owns; `logFile` tells each step. */
export async function neutralizeCopy(
  ctx: BuildContext,
  prepared: PreparedDatabase,
  logFile: string,
): Promise<void> {
  const { database, connection } = prepared;
  // Neutralization and the credentials check write into the copy: as the build's role, which
  // owns it, never as the administrator (a trigger of the copied modules would run with its rights).
  const owner = { ...connection, database };
  const log = (line: string) => note(logFile, line);
  await neutralize(owner, {
    log,
    command: {
      options: {
        db: database,
        connection: await inContainer(ctx, connection),
        omitPassword: true,
        addonsPath: ctx.code.addonsPath,
        dataDir: ODOO_DATA_MOUNT,
      },
      run: async (cmd) => {
        const exitCode = await runOdoo(ctx, {
          role: "tool",
          cmd,
          connection,
          dataDir: prepared.dataDir,
          logFile,
        });
        if (exitCode !== 0)
          throw new PhaseError("database", `odoo neutralize failed (exit ${exitCode}); see update.log`);
      },
    },
  });
  await credentialsCheck(owner, log);
}
