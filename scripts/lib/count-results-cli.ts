// scripts/test's reading of one suite's report:
//   tsx scripts/lib/count-results-cli.ts vitest|playwright|unittest REPORT EXIT_CODE
// prints "PASSED FAILED SKIPPED" on the first line, then one line per note.
import { existsSync, readFileSync } from "node:fs";
import { countResults, type ReportKind } from "./count-results";

const [kind = "", file = "", exitCode = ""] = process.argv.slice(2);
if (!["vitest", "playwright", "unittest"].includes(kind) || !/^\d+$/.test(exitCode)) {
  throw new Error("usage: count-results-cli.ts vitest|playwright|unittest REPORT EXIT_CODE");
}
const report = existsSync(file) ? readFileSync(file, "utf8") : undefined;
const { passed, failed, skipped, notes } = countResults(kind as ReportKind, report, Number(exitCode));
console.log([`${passed} ${failed} ${skipped}`, ...notes].join("\n"));
