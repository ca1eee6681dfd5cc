import { describe, expect, it } from "vitest";
import {
  assertRestorable,
  buildBackupManifest,
  parseBackupManifest,
  pgVersionFromServerVersionNum,
  restoreCompatibility,
} from "./backup-manifest";

// As written by `odoo db dump` on Odoo 18 (enterprise build) against PostgreSQL 15.
const realOdoo18 = `{
    "odoo_dump": "1",
    "db_name": "prod",
    "version": "18.0+e-20241005",
    "version_info": [18, 0, 0, "final", 0, "e"],
    "major_version": "18.0",
    "pg_version": "15.0",
    "modules": {"base": "18.0.1.3", "web": "18.0.1.0", "my_module": "18.0.1.0.2"}
}`;

describe("backup manifest", () => {
  it("parses a real Odoo 18 manifest.json", () => {
    const manifest = parseBackupManifest(realOdoo18);
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
      pgServerVersionNum: 150004,
      modules: { web: "saas~18.3.1.0", base: "saas~18.3.1.3" },
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
    expect(parseBackupManifest(JSON.stringify(built))).toEqual(built);
  });

  it("rejects what is not an Odoo backup manifest", () => {
    expect(() => parseBackupManifest("{")).toThrow(/not JSON/);
    expect(() => parseBackupManifest(realOdoo18.replace('"18.0",', '"eighteen",'))).toThrow(/major_version/);
    expect(() => parseBackupManifest(realOdoo18.replace('"odoo_dump": "1"', '"odoo_dump": "2"'))).toThrow(
      /odoo_dump/,
    );
  });

  it("compares the dump's series with the target", () => {
    const manifest = parseBackupManifest(realOdoo18);
    expect(restoreCompatibility(manifest, "18.0").kind).toBe("same");
    expect(restoreCompatibility(manifest, "saas-18.3").kind).toBe("older");
    expect(restoreCompatibility(manifest, "17.0").kind).toBe("newer");
    expect(restoreCompatibility({ major_version: "saas~18.3" }, "18.0").kind).toBe("newer");
    expect(() => assertRestorable(manifest, "18.0")).not.toThrow();
    expect(() => assertRestorable(manifest, "17.0")).toThrow(/cannot be downgraded/);
    expect(() => assertRestorable(manifest, "19.0")).toThrow(/upgrade it/);
  });
});
