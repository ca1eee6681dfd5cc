#!/usr/bin/env bash
# Re-makes the reports under reports/ by running the tiny suites under src/ with the real
# vitest and Playwright, then trims what the counting never reads (timings, stacks, config,
# absolute paths). exits.json keeps the exit code of each run.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here/../../.."
out="$(mktemp -d)"; trap 'rm -rf "$out"' EXIT
vitest_run() { # name files...
  local name="$1"; shift
  local code=0
  pnpm exec vitest run --config "$here/vitest.config.ts" --reporter=json \
    --outputFile.json="$out/$name.json" "$@" >/dev/null 2>&1 || code=$?
  echo "$name $code" >> "$out/exits"
}
vitest_run vitest-setup-crash src/failing src/setup-crash src/import-crash src/teardown-crash
vitest_run vitest-unhandled src/unhandled
vitest_run vitest-skips src/skips
code=0
PLAYWRIGHT_JSON_OUTPUT_NAME="$out/playwright.json" pnpm exec playwright test \
  -c "$here/playwright.config.ts" --reporter=json --output="$out/results" >/dev/null 2>&1 || code=$?
echo "playwright $code" >> "$out/exits"
mkdir -p "$here/reports"
node "$here/trim.mjs" "$out" "$here/reports" "$here"
