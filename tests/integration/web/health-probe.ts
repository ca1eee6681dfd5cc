// Prints the system health report as one JSON line. Run in its own process so that each test
// chooses the environment (e.g. a REDIS_URL nobody listens on) before any client is created.
import { systemHealth } from "@gantry/core";

const report = await systemHealth();
process.stdout.write(`${JSON.stringify(report)}\n`);
// Pools and reconnecting clients would keep the process alive; the report is all we need.
process.exit(0);
