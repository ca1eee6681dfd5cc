import { defineConfig } from "vitest/config";

// Runs the tiny suites under src/ whose JSON reports, trimmed, are the fixtures of
// count-results.test.ts (see regenerate.sh).
export default defineConfig({
  test: { root: new URL(".", import.meta.url).pathname, include: ["src/*.vitest.ts"] },
});
