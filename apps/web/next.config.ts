import type { NextConfig } from "next";

const nextConfig: NextConfig = {
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
