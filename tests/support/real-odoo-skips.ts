// The integration tests that cannot run on a real Odoo image, by file and full name (describe
// names and the test's, joined by " > "), each with the reason. Skipped only when the suites
// run on real Odoo (REAL_ODOO); the stand-in runs them all. The README lists the same.
import { relative, resolve } from "node:path";
import { REAL_ODOO } from "./odoo-target";

const root = resolve(import.meta.dirname, "../..");

/** Whole files: none of their tests can run on real Odoo. */
export const REAL_ODOO_SKIPPED_FILES: Record<string, string> = {
  "tests/integration/upgrades/procedure.test.ts":
    "upgrades a 16.0 database to 17.0 with -u all: there is no real 16.0 or 17.0 image, and real Odoo loads an older series' database only through OpenUpgrade or Odoo's upgrade service",
};

/** Single tests: `file > describe > test`. */
export const REAL_ODOO_SKIPPED_TESTS: Record<string, string> = {};

/** The reason a file is skipped on real Odoo, or undefined when it runs. */
export function fileSkippedOnRealOdoo(file: string): string | undefined {
  return REAL_ODOO ? REAL_ODOO_SKIPPED_FILES[relative(root, file)] : undefined;
}

/** The reason a test is skipped on real Odoo, or undefined when it runs. */
export function testSkippedOnRealOdoo(file: string, fullName: string): string | undefined {
  return REAL_ODOO ? REAL_ODOO_SKIPPED_TESTS[`${relative(root, file)} > ${fullName}`] : undefined;
}
