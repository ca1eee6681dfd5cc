// A list of the integration tests that cannot run in one setting (real Odoo, the Swarm), by file
// and full name (describe names and the test's, joined by " > "), each with its reason. Skipped
// only while the setting holds; otherwise everything runs. The README lists the same.
import { relative, resolve } from "node:path";

const root = resolve(import.meta.dirname, "../..");

export interface SkipList {
  /** Whether the setting holds in this run. */
  active: () => boolean;
  /** Whole files (relative to the checkout): none of their tests can run. */
  files: Record<string, string>;
  /** Single tests: `file > describe > test`. */
  tests: Record<string, string>;
}

/** The reason a file is skipped, or undefined when it runs. */
export function fileSkipped(list: SkipList, file: string): string | undefined {
  return list.active() ? list.files[relative(root, file)] : undefined;
}

/** The reason a test is skipped, or undefined when it runs. */
export function testSkipped(list: SkipList, file: string, fullName: string): string | undefined {
  return list.active() ? list.tests[`${relative(root, file)} > ${fullName}`] : undefined;
}
