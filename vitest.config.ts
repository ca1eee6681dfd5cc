import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Two projects: "unit" (pure code, no services) beside the sources, and "integration"
// (real PostgreSQL, Redis, Docker started by scripts/test) under tests/integration.
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
          setupFiles: ["tests/support/real-odoo-setup.ts"],
        },
      },
    ],
  },
});
