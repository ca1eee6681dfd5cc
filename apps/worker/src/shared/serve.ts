// Serving Odoo: a long-lived container on its project's network, published on a free port
// (Caddy's upstream: 127.0.0.1 on one host, the node's address on a cluster: the runtime says), with its own role, the stage's memory/CPU limits and
// workers, mail to the catcher outside production, its log in logs/odoo.log; ready once Odoo
// answers (odoo-ready.ts).
import { chmod, chown, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { bestEffort, config } from "@gantry/config";
import { connectKeyOf, issueMasterPassword } from "@gantry/core";
import { prisma, type Stage } from "@gantry/db";
import {
  entrypointEnvironment,
  GANTRY_ADDONS_DIR,
  odooConfigFile,
  serveCommand,
  serverWideModules,
} from "@gantry/odoo";
import type { ContainerRuntime, Mount } from "@gantry/runtime";
import { odooLimits } from "./limits";
import { catcherFor, projectNetwork, reach } from "./network";
import { waitForOdoo } from "./odoo-ready";
import { ODOO_LOG_MOUNT, ODOO_UID, workspaceOf } from "./workspace";

/** Odoo's port inside its container; the host side is the build's own port. */
const ODOO_HTTP_PORT = 8069;
const CONFIG_MOUNT = "/etc/odoo/gantry.conf";
// Gantry's own addons (gantry_connect), read-only, loaded server-wide, never installed.
const GANTRY_ADDONS_MOUNT = "/mnt/gantry-addons";

/**
 * The serve's config file (a new master password, the build's Connect key), readable by root and
 * Odoo's group only.
 */
async function writeOdooConfig(buildId: string): Promise<string> {
  const file = join(workspaceOf(buildId).root, "odoo.conf");
  const text = odooConfigFile({
    adminPasswd: await issueMasterPassword(buildId),
    connectKey: connectKeyOf(buildId),
  });
  await writeFile(file, text, { mode: 0o640 });
  await chmod(file, 0o640);
  await chown(file, 0, ODOO_UID).catch(() => chmod(file, 0o644)); // not root: Odoo must still read it
  return file;
}

async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** A port no serving build holds and nothing listens on. */
export async function pickPort(): Promise<number> {
  const taken = new Set(
    (
      await prisma().build.findMany({
        where: { httpPort: { not: null }, cleanedAt: null },
        select: { httpPort: true },
      })
    ).map((row) => row.httpPort),
  );
  const { BUILD_PORT_MIN: min, BUILD_PORT_MAX: max } = config();
  const span = max - min + 1;
  const start = Math.floor(Math.random() * span);
  for (let i = 0; i < span; i += 1) {
    const port = min + ((start + i) % span);
    if (!taken.has(port) && (await portFree(port))) return port;
  }
  throw new Error(`no free port between ${min} and ${max}`);
}

export interface ServeInput {
  runtime: ContainerRuntime;
  name: string;
  image: string;
  /** The Odoo series the image runs: which server-wide modules to load. */
  series: string;
  database: string;
  connection: { host: string; port: number; user: string; password: string };
  addonsPath: string[];
  mounts: Mount[];
  port: number;
  workers: number;
  /** The build's login at the mail catcher (staging, development); null: mail is not caught. */
  mailLogin: { user: string; password: string } | null;
  memoryMb?: number;
  cpus?: number;
  owner: { project: string; branch: string; build: string };
  /** The pool of nodes it serves from on a cluster (pool.ts); anywhere when not given. */
  pool?: string;
  /** Decides the network: whether the project lets this stage reach beyond the host (null: never). */
  stage: Stage | null;
  signal: AbortSignal;
  healthTimeoutMs?: number;
}

export async function startServing(input: ServeInput): Promise<string> {
  const network = await projectNetwork(input.runtime, input.owner.project, input.stage);
  const connection = reach(network, input.connection);
  const configFile = await writeOdooConfig(input.owner.build);
  // A leftover of an earlier run under the same name; were it still there, creating fails below.
  await bestEffort(`removing leftover container ${input.name}`, input.runtime.remove(input.name, true));
  const id = await input.runtime.createContainer({
    name: input.name,
    image: input.image,
    cmd: serveCommand({
      db: input.database,
      connection,
      omitPassword: true,
      addonsPath: [...input.addonsPath, GANTRY_ADDONS_MOUNT],
      serverWideModules: serverWideModules(input.series),
      dataDir: "/var/lib/odoo",
      logfile: ODOO_LOG_MOUNT,
      httpInterface: "0.0.0.0",
      httpPort: ODOO_HTTP_PORT,
      workers: input.workers,
      maxCronThreads: 1,
      ...(input.mailLogin ? { smtp: { ...catcherFor(network), ...input.mailLogin } } : {}),
      configFile: CONFIG_MOUNT,
    }),
    env: entrypointEnvironment(connection),
    owner: input.owner,
    labels: { "gantry.role": "serve" },
    networkMode: network.networkMode,
    pool: input.pool,
    ports: [{ containerPort: ODOO_HTTP_PORT, hostPort: input.port }],
    mounts: [
      ...input.mounts,
      { type: "bind", source: configFile, target: CONFIG_MOUNT, readOnly: true },
      { type: "bind", source: GANTRY_ADDONS_DIR, target: GANTRY_ADDONS_MOUNT, readOnly: true },
    ],
    memoryBytes: input.memoryMb === undefined ? odooLimits(false).memoryBytes : input.memoryMb * 1024 * 1024,
    cpus: input.cpus ?? odooLimits(false).cpus,
  });
  await input.runtime.start(id);
  await waitHealthy(input.runtime, id, input.port, input.signal, input.healthTimeoutMs ?? 120_000);
  return id;
}

/** Waits until the container's Odoo answers where the runtime says it is published. */
export async function waitHealthy(
  runtime: ContainerRuntime,
  id: string,
  port: number,
  signal: AbortSignal | undefined,
  timeoutMs: number,
): Promise<void> {
  await waitForOdoo({
    port,
    address: () => runtime.publishedAddress(id, port).catch(() => null),
    state: () => runtime.inspect(id),
    signal,
    timeoutMs,
  });
}

/**
 * The reverse proxy's upstream for a build: where the runtime says its container's port answers,
 * or the loopback port itself for a build without a container name.
 */
export async function upstreamOf(
  runtime: ContainerRuntime,
  containerName: string | null,
  port: number,
): Promise<string | number> {
  return containerName ? runtime.publishedAddress(containerName, port) : port;
}
