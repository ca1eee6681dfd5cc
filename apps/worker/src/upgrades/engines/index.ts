// The engine an attempt names, with its settings from the configuration.
import { config } from "@gantry/config";
import type { UpgradeEngine } from "../engine";
import { odooServiceEngine } from "./odoo-service";
import { openUpgradeEngine } from "./openupgrade";
import { scriptsEngine } from "./scripts";

export function engineFor(name: string, aim: "test" | "production" = "test"): UpgradeEngine {
  switch (name) {
    case "scripts":
      return scriptsEngine;
    case "openupgrade":
      return openUpgradeEngine(config().OPENUPGRADE_PATH);
    case "odoo-service":
      return odooServiceEngine({
        aim,
        baseUrl: config().ODOO_UPGRADE_URL,
        contract: config().ODOO_UPGRADE_CONTRACT,
        email: config().ODOO_UPGRADE_EMAIL,
      });
    default:
      throw new Error(`unknown upgrade engine ${JSON.stringify(name)}`);
  }
}
