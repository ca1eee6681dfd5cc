import { defineConfig } from "@playwright/test";

// Runs the tiny specs under src/ whose JSON report, trimmed, is a fixture of
// count-results.test.ts (see regenerate.sh). No browser is opened.
export default defineConfig({ testDir: "src", testMatch: "*.pw.ts", workers: 1, retries: 0 });
