// Integration setup file: skips, by name, the tests that cannot run on real Odoo
// (real-odoo-skips.ts) or on the Swarm (swarm-skips.ts), with their reason as the skip note.
// A no-op on the stand-in and the machine's engine.
import { beforeEach } from "vitest";
import { REAL_ODOO_SKIPS } from "./real-odoo-skips";
import { type SkipList, testSkipped } from "./skip-list";
import { SWARM_SKIPS } from "./swarm-skips";

const lists: [string, SkipList][] = [
  ["not on real Odoo", REAL_ODOO_SKIPS],
  ["not on the Swarm", SWARM_SKIPS],
];

beforeEach((context) => {
  const names: string[] = [];
  for (let task: { name: string; suite?: unknown } | undefined = context.task; task; ) {
    names.unshift(task.name);
    // The chain ends at the file, which is a suite too but names no describe.
    const parent = task.suite as { name: string; suite?: unknown; filepath?: string } | undefined;
    task = parent && parent.filepath === undefined ? parent : undefined;
  }
  for (const [setting, list] of lists) {
    const reason = testSkipped(list, context.task.file.filepath, names.join(" > "));
    if (reason) context.skip(`${setting}: ${reason}`);
  }
});
