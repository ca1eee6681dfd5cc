// Verification of an upgraded database: the target series serves it for a moment, and it must
// answer /web/health (17.0 and later) and the login page, then stop cleanly; its log is judged
// by the same rules as every other run (an ERROR or a traceback fails, a WARNING warns).

import { createWriteStream } from "node:fs";
import { createServer } from "node:net";
import { bestEffort } from "@gantry/config";
import { compareSeries, entrypointEnvironment, serveCommand } from "@gantry/odoo";
import type { ContainerRuntime, LogLine, Mount } from "@gantry/runtime";
import { odooLimits } from "../shared/limits";
import { reach, workNetwork } from "../shared/network";

/** A port nothing listens on now, from the kernel's ephemeral range. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface VerifyInput {
  runtime: ContainerRuntime;
  name: string;
  image: string;
  series: string;
  database: { host: string; port: number; user: string; password: string; name: string };
  addonsPath: string[];
  mounts: Mount[];
  owner: { project?: string; branch?: string };
  logFile: string;
  signal: AbortSignal;
  timeoutMs?: number;
}

async function answers(url: string, check: (response: Response) => Promise<boolean>): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(3000), redirect: "manual" });
    return await check(response);
  } catch {
    return false; // not answering yet (refused, reset, timed out): the caller polls again
  }
}

/** Odoo's port inside the verification container; published on a free port where it runs. */
const VERIFY_HTTP_PORT = 8069;

/** Serves the database on the target series until health and login answer, then stops it. */
export async function verifyServing(input: VerifyInput): Promise<void> {
  const port = await freePort();
  const network = await workNetwork(input.runtime, input.owner);
  const connection = reach(network, input.database);
  // A leftover of an earlier run under the same name; were it still there, creating fails below.
  await bestEffort(`removing leftover container ${input.name}`, input.runtime.remove(input.name, true));
  const id = await input.runtime.createContainer({
    name: input.name,
    image: input.image,
    cmd: serveCommand({
      db: input.database.name,
      connection,
      omitPassword: true,
      addonsPath: input.addonsPath,
      dataDir: "/var/lib/odoo",
      httpInterface: "0.0.0.0",
      httpPort: VERIFY_HTTP_PORT,
      workers: 0,
      maxCronThreads: 0,
    }),
    env: entrypointEnvironment(connection),
    owner: input.owner,
    labels: { "gantry.role": "upgrade-verify" },
    networkMode: network.networkMode,
    ports: [{ containerPort: VERIFY_HTTP_PORT, hostPort: port }],
    mounts: input.mounts,
    ...odooLimits(true),
  });
  const out = createWriteStream(input.logFile, { flags: "a" });
  try {
    await input.runtime.start(id);
    const lines = await input.runtime.logs(id, { follow: true });
    const copied = (async () => {
      for await (const chunk of lines as AsyncIterable<LogLine>) out.write(`${chunk.line}\n`);
    })();
    // Where the server answers is the runtime's to say (this host, or the node a cluster chose);
    // a task not placed yet has no address, and the loop asks again.
    let base: string | null = null;
    const hasHealth = compareSeries(input.series, "17.0") >= 0;
    const deadline = Date.now() + (input.timeoutMs ?? 120_000);
    let healthy = false;
    while (!healthy) {
      input.signal.throwIfAborted();
      base ??= await input.runtime
        .publishedAddress(id, port)
        .then((address) => `http://${address}`)
        .catch(() => null);
      if (base !== null) {
        healthy = hasHealth
          ? await answers(
              `${base}/web/health`,
              async (r) => r.ok && ((await r.json()) as { status?: string }).status === "pass",
            )
          : await answers(`${base}/web/login`, async (r) => r.ok);
      }
      if (healthy) break;
      const state = await input.runtime.inspect(id);
      if (!state.running)
        throw new Error(`the ${input.series} server stopped before answering (exit ${state.exitCode})`);
      if (Date.now() > deadline)
        throw new Error(`the ${input.series} server did not answer within the time allowed`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const login = await fetch(`${base}/web/login`, { signal: AbortSignal.timeout(10_000) });
    const page = await login.text();
    if (!login.ok || !/<form[^>]*login/i.test(page)) {
      throw new Error(`the login page did not answer as expected (HTTP ${login.status})`);
    }
    await input.runtime.stop(id, 20);
    // Health and login answered: a log stream cut at the end does not change that.
    await bestEffort(`copying the output of ${input.name}`, copied);
  } finally {
    await new Promise<void>((resolve) => out.end(resolve));
    await bestEffort(`removing ${input.name}`, input.runtime.remove(id, true));
  }
}
