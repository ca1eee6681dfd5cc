// Trims the reports that regenerate.sh collected to what count-results reads, keeping their
// shape: node trim.mjs FROM TO FIXTURES_DIR
import { readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

const [from, to, fixtures] = process.argv.slice(2);
const firstLine = (text) => text.split("\n")[0];
const exits = {};
for (const line of readFileSync(join(from, "exits"), "utf8").trim().split("\n")) {
  const [name, code] = line.split(" ");
  exits[`${name}.json`] = Number(code);
  const report = JSON.parse(readFileSync(join(from, `${name}.json`), "utf8"));
  const trimmed = name === "playwright" ? trimPlaywright(report) : trimVitest(report);
  writeFileSync(join(to, `${name}.json`), `${JSON.stringify(trimmed, null, 2)}\n`);
}
writeFileSync(join(to, "exits.json"), `${JSON.stringify(exits, null, 2)}\n`);

function trimVitest({ snapshot, startTime, testResults, ...totals }) {
  return {
    ...totals,
    testResults: testResults.map(({ assertionResults, status, message, name }) => ({
      assertionResults: assertionResults.map(({ fullName, status, failureMessages }) => ({
        fullName,
        status,
        failureMessages: failureMessages.map(firstLine),
      })),
      status,
      message: firstLine(message),
      name: relative(fixtures, name),
    })),
  };
}

function trimPlaywright({ suites, errors, stats: { startTime, duration, ...stats } }) {
  return {
    suites: suites.map(({ title, specs }) => ({
      title,
      specs: specs.map(({ title, ok, tests }) => ({
        title,
        ok,
        tests: tests.map(({ expectedStatus, status, results }) => ({
          expectedStatus,
          status,
          results: results.map(({ status, error }) => ({
            status,
            ...(error ? { error: { message: firstLine(error.message) } } : {}),
          })),
        })),
      })),
    })),
    errors: errors.map((e) => ({ message: firstLine(e.message) })),
    stats,
  };
}
