// The engine for Odoo's upgrade service: the working copy is dumped as an Odoo backup zip,
// sent to the service, and the upgraded archive it returns replaces the working copy; then the
// target series runs `-u all` so the project's own modules migrate on its code, as on Odoo.sh.
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { createBackup, restoreBackup } from "@gantry/backup";
import { dropDatabase } from "@gantry/postgres";
import { giveToOdoo } from "../../backups/chown";
import type { UpgradeEngine } from "../engine";
import { UpgradeServiceClient, type UpgradeServiceOptions } from "./odoo-service-client";

export interface OdooServiceSettings extends Partial<UpgradeServiceOptions> {
  aim: "test" | "production";
}

export function odooServiceEngine(settings: OdooServiceSettings): UpgradeEngine {
  return {
    name: "odoo-service",
    async upgrade(context) {
      const { baseUrl, contract, email } = settings;
      if (!baseUrl || !contract || !email) {
        throw new Error(
          "the Odoo upgrade service needs ODOO_UPGRADE_URL, ODOO_UPGRADE_CONTRACT and ODOO_UPGRADE_EMAIL",
        );
      }
      const client = new UpgradeServiceClient({ ...settings, baseUrl, contract, email });
      const db = context.database;
      const dump = join(context.workDir, "to-upgrade.zip");
      const upgraded = join(context.workDir, "upgraded.zip");
      try {
        await context.log(`dumping ${db.name} for the upgrade service`);
        await createBackup({
          source: { host: db.host, port: db.port, user: db.user, password: db.password, database: db.name },
          filestore: context.filestore,
          output: dump,
          signal: context.signal,
        });
        const request = await client.create(
          { target: context.toSeries, aim: settings.aim, filename: `${db.name}.zip` },
          context.signal,
        );
        await context.log(`upgrade service request ${request.id} created`);
        await client.upload(request, dump, context.signal);
        await context.log("dump uploaded");
        await client.process(request, context.signal);
        const done = await client.waitDone(request, context.signal, (state) =>
          context.log(`upgrade service: ${state}`),
        );
        await client.download(done, upgraded, context.signal);
        await context.log("upgraded archive downloaded; replacing the working copy with it");
        await dropDatabase(context.admin, db.name);
        await rm(context.filestore, { recursive: true, force: true });
        await restoreBackup({
          archive: upgraded,
          admin: {
            host: context.admin.host,
            port: context.admin.port,
            user: context.admin.adminUser,
            password: context.admin.adminPassword,
            database: "postgres",
          },
          database: db.name,
          owner: db.user,
          filestore: context.filestore,
        });
        await giveToOdoo(context.filestore);
      } finally {
        await rm(dump, { force: true });
        await rm(upgraded, { force: true });
      }
      return { exitCode: await context.runOdooUpdate() };
    },
  };
}
