// Integration setup file: skips, by name, the tests that cannot run on real Odoo
// (real-odoo-skips.ts), with their reason as the skip note. A no-op on the stand-in.
import { beforeEach } from "vitest";
import { testSkippedOnRealOdoo } from "./real-odoo-skips";

beforeEach((context) => {
  const names: string[] = [];
  for (let task: { name: string; suite?: unknown } | undefined = context.task; task; ) {
    names.unshift(task.name);
    // The chain ends at the file, which is a suite too but names no describe.
    const parent = task.suite as { name: string; suite?: unknown; filepath?: string } | undefined;
    task = parent && parent.filepath === undefined ? parent : undefined;
  }
  const reason = testSkippedOnRealOdoo(context.task.file.filepath, names.join(" > "));
  if (reason) context.skip(`not on real Odoo: ${reason}`);
});
