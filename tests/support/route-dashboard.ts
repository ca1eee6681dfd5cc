// Run as a program (node --import tsx): Gantry's own routeDashboard against the Caddy, ACME
// server and PUBLIC_URL its environment names. End-to-end specs run it so that the route the
// browser meets is the one Gantry writes, with settings apart from the suite's web app.
import { routeDashboard } from "@gantry/core";

const host = await routeDashboard();
process.stdout.write(`${host ?? ""}\n`);
