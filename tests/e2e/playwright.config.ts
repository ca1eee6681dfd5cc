import { defineConfig } from "@playwright/test";

// scripts/test builds the web app and exports DATABASE_URL / REDIS_PREFIX for an e2e database;
// Playwright starts the web server and the worker against them.
const port = 3100;
const baseURL = `http://127.0.0.1:${port}`;
// The worker's shell server, and where the web app tells browsers to find it.
const shellListen = "127.0.0.1:3122";
// The worker's SSH server, apart from a development instance's default port.
const sshListen = "127.0.0.1:3123";
const root = new URL("../..", import.meta.url).pathname;

export default defineConfig({
  testDir: ".",
  testMatch: "**/*.spec.ts",
  outputDir: "../../var/test/e2e-results",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  use: {
    baseURL,
    screenshot: "on",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  // The worker first: by the time the web app answers, its heartbeat is in Redis.
  webServer: [
    {
      command: "node --import tsx apps/worker/src/main.ts",
      cwd: root,
      wait: { stdout: /worker ready/ },
      // "worker ready" is an info line: keep it visible whatever the suite's log level.
      // WEB_PORT: where a sleeping build's host is sent (the wake page of this web app).
      env: {
        LOG_LEVEL: "info",
        GITHUB_API_URL: "http://127.0.0.1:3199",
        WEB_PORT: String(port),
        PUBLIC_URL: baseURL,
        SHELL_LISTEN: shellListen,
        SSH_LISTEN: sshListen,
      },
      reuseExistingServer: false,
      timeout: 60_000,
      gracefulShutdown: { signal: "SIGTERM", timeout: 35_000 },
    },
    {
      command: `node_modules/.bin/next start -H 127.0.0.1 -p ${port}`,
      url: `${baseURL}/`,
      cwd: `${root}apps/web`,
      reuseExistingServer: false,
      timeout: 120_000,
      gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
      // The specs start the GitHub stand-in on this port (fixtures/github.ts STANDIN_PORT).
      // Custom domains are looked up on the DNS server the domains spec starts (fixtures/dns.ts).
      env: {
        WEB_PORT: String(port),
        PUBLIC_URL: baseURL,
        GITHUB_API_URL: "http://127.0.0.1:3199",
        DNS_RESOLVER: "127.0.0.1:3198",
        PUBLIC_IPV4: "127.0.0.1",
        SHELL_LISTEN: shellListen,
        SSH_LISTEN: sshListen,
      },
    },
  ],
});
