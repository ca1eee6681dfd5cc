// The integration tests that cannot run on a real Odoo image (skip-list.ts). Skipped only when
// the suites run on real Odoo (REAL_ODOO); the stand-in runs them all.
import { REAL_ODOO } from "./odoo-target";
import { fileSkipped, type SkipList } from "./skip-list";

export const REAL_ODOO_SKIPS: SkipList = {
  active: () => REAL_ODOO,
  files: {
    "tests/integration/upgrades/procedure.test.ts":
      "upgrades a 16.0 database to 17.0 with -u all: there is no real 16.0 or 17.0 image, and real Odoo loads an older series' database only through OpenUpgrade or Odoo's upgrade service",
  },
  tests: {},
};

/** The reason a file is skipped on real Odoo, or undefined when it runs. */
export function fileSkippedOnRealOdoo(file: string): string | undefined {
  return fileSkipped(REAL_ODOO_SKIPS, file);
}
