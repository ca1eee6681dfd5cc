import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { SWARM_SKIPS } from "./tests/support/swarm-skips.js";

// Skips by name (real Odoo, the Swarm), and the test Swarm's teardown after each file.
const integrationSetupFiles = ["tests/support/skips-setup.ts", "tests/support/swarm/setup.ts"];

// Three projects: "unit" (pure code, no services) beside the sources, "integration" (real
// PostgreSQL, Redis, Docker started by scripts/test) under tests/integration, and
// "integration-swarm", the build suite of it on a test Swarm.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: [
            "packages/*/src/**/*.test.ts",
            "apps/*/src/**/*.test.ts",
            "apps/web/lib/**/*.test.ts",
            "tests/architecture/**/*.test.ts",
            "scripts/lib/**/*.test.ts",
          ],
          environment: "node",
        },
      },
      {
        // The web app's own import alias, so route handlers are called as Next calls them.
        resolve: { alias: { "@": fileURLToPath(new URL("./apps/web", import.meta.url)) } },
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // Docker-heavy suites share one engine on two cores: run files one at a time.
          fileParallelism: false,
          globalSetup: ["tests/support/global-setup.ts"],
          setupFiles: integrationSetupFiles,
        },
      },
      {
        // The build suite again on a test Swarm (RUNTIME=swarm, tests/support/swarm/
        // build-swarm.ts), but for the files tests/support/swarm-skips.ts names.
        resolve: { alias: { "@": fileURLToPath(new URL("./apps/web", import.meta.url)) } },
        test: {
          name: "integration-swarm",
          include: ["tests/integration/builds/**/*.test.ts"],
          exclude: Object.keys(SWARM_SKIPS.files),
          env: { RUNTIME: "swarm" },
          environment: "node",
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
          // One test Swarm for the run, shared by the files (tests/support/swarm/run-swarm.ts).
          globalSetup: ["tests/support/global-setup.ts", "tests/support/swarm/run-swarm.ts"],
          setupFiles: integrationSetupFiles,
        },
      },
    ],
  },
});
