import { describe, expect, it } from "vitest";
import { backupManifestSchema, buildBackupManifest, pgVersionFromServerVersionNum } from "./backup-manifest";

// As written by `odoo db dump` on Odoo 18 (enterprise build) against PostgreSQL 15.
const realOdoo18 = {
  odoo_dump: "1",
  db_name: "prod",
  version: "18.0+e-20241005",
  version_info: [18, 0, 0, "final", 0, "e"],
  major_version: "18.0",
  pg_version: "15.0",
  modules: { base: "18.0.1.3", web: "18.0.1.0", my_module: "18.0.1.0.2" },
};

describe("backup manifest", () => {
  it("accepts a real Odoo 18 manifest.json", () => {
    const manifest = backupManifestSchema.parse(realOdoo18);
    expect(manifest.major_version).toBe("18.0");
    expect(manifest.modules.my_module).toBe("18.0.1.0.2");
  });

  it("builds one that parses back, with Odoo's pg_version arithmetic", () => {
    expect(pgVersionFromServerVersionNum(150004)).toBe("15.0");
    expect(pgVersionFromServerVersionNum(160010)).toBe("16.0");
    expect(pgVersionFromServerVersionNum(90624)).toBe("9.6");
    const built = buildBackupManifest({
      dbName: "proj_prod",
      series: "saas-18.3",
      pgVersion: "15.0",
      modules: { base: "saas~18.3.1.3", web: "saas~18.3.1.0" },
    });
    expect(built).toEqual({
      odoo_dump: "1",
      db_name: "proj_prod",
      version: "saas~18.3",
      version_info: ["saas~18", 3, 0, "final", 0, ""],
      major_version: "saas~18.3",
      pg_version: "15.0",
      modules: { base: "saas~18.3.1.3", web: "saas~18.3.1.0" },
    });
    expect(backupManifestSchema.parse(built)).toEqual(built);
  });

  it("rejects what is not an Odoo backup manifest", () => {
    for (const wrong of [
      { ...realOdoo18, major_version: "eighteen" },
      { ...realOdoo18, major_version: "18.3" },
      { ...realOdoo18, odoo_dump: "2" },
      { ...realOdoo18, db_name: "" },
    ]) {
      expect(backupManifestSchema.safeParse(wrong).success).toBe(false);
    }
  });
});
