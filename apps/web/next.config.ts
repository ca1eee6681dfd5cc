import type { NextConfig } from "next";

/**
 * Route files named `route.testonly.ts` exist only in a build made with GANTRY_TEST_MODE=true
 * (the test command's): a production build does not contain them at all.
 */
export function pageExtensions(testMode: boolean): string[] {
  return testMode ? ["ts", "tsx", "testonly.ts"] : ["ts", "tsx"];
}

const nextConfig: NextConfig = {
  // biome-ignore lint/style/noProcessEnv: read at build time, before the app (and its config package) exists
  pageExtensions: pageExtensions(process.env.GANTRY_TEST_MODE === "true"),
  // Internal packages export TypeScript source; Next compiles them with the app.
  transpilePackages: ["@gantry/config", "@gantry/core", "@gantry/db", "@gantry/queue"],
  // Node-only libraries (native addons, worker threads, dynamic requires) load with Node's own
  // require at run time instead of being bundled.
  serverExternalPackages: [
    "dockerode",
    "docker-modem",
    "ssh2",
    "cpu-features",
    "pg",
    "bullmq",
    "ioredis",
    "pino",
    "@prisma/client",
    "@prisma/adapter-pg",
  ],
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
