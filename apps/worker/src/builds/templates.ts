// Template databases of development builds: the standard modules (everything that is not the
// repository's) installed once with demo data and no tests, keyed by series + module set +
// demo + image, then cloned with CREATE DATABASE ... TEMPLATE by every later build. Each
// template's objects belong to a role of its own, handed to the build's role after a clone.
import { randomBytes } from "node:crypto";
import { appendFile, mkdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { bestEffort, config, ifExists } from "@gantry/config";
import type { DbServerConnection } from "@gantry/core";
import { prisma } from "@gantry/db";
import { entrypointEnvironment, installCommand, type TemplateKey } from "@gantry/odoo";
import {
  copyFilestore,
  createDatabase,
  createRole,
  disableLogin,
  dropDatabase,
  dropRole,
  reassignOwned,
  setDatabaseOwner,
} from "@gantry/postgres";
import { type QueueContext, waitLock } from "@gantry/queue";
import type { ContainerRuntime } from "@gantry/runtime";
import { platformNetwork, reach } from "../shared/network";
import { runToLogFile } from "../shared/odoo-run";
import { dataRoot, odooWritable } from "../shared/workspace";

export function templateDataDir(name: string): string {
  return join(dataRoot(), "templates", name);
}

export function templateRoleOf(name: string): string {
  return `${name}_owner`.slice(0, 63);
}

export interface TemplateInput {
  runtime: ContainerRuntime;
  queue: QueueContext;
  server: DbServerConnection;
  key: TemplateKey;
  image: string;
  series: string;
  logFile: string;
  containerName: string;
  owner: { project: string; branch: string; build: string };
  signal: AbortSignal;
}

/** Returns the template's name, building it first when this server does not have it yet. */
export async function ensureTemplate(input: TemplateInput): Promise<{ name: string; built: boolean }> {
  const name = input.key.databaseName;
  // One builder per template and server; others wait and then find it ready.
  const lock = await waitLock(input.queue, `template:${input.server.id}:${name}`, input.signal);
  try {
    const existing = await prisma().templateDatabase.findUnique({
      where: { serverId_name: { serverId: input.server.id, name } },
    });
    if (existing?.ready) {
      await prisma().templateDatabase.update({
        where: { id: existing.id },
        data: { lastUsedAt: new Date() },
      });
      await appendFile(input.logFile, `template database ${name} reused (${input.key.modules.join(", ")})\n`);
      return { name, built: false };
    }
    await prisma().templateDatabase.upsert({
      where: { serverId_name: { serverId: input.server.id, name } },
      update: { ready: false },
      create: {
        serverId: input.server.id,
        name,
        keyHash: input.key.hash,
        series: input.key.series,
        demo: input.key.demo,
        modules: input.key.modules,
      },
    });
    const role = templateRoleOf(name);
    const password = randomBytes(24).toString("hex");
    await dropDatabase(input.server, name);
    await createRole(input.server, role, password);
    await createDatabase(input.server, name, role);
    const data = templateDataDir(name);
    await rm(data, { recursive: true, force: true });
    await odooWritable(data);
    // Standard modules only, no project code: the platform's isolated network.
    const network = await platformNetwork(input.runtime);
    const connection = reach(network, {
      host: input.server.host,
      port: input.server.port,
      user: role,
      password,
    });
    await appendFile(
      input.logFile,
      `building template database ${name}: ${input.key.modules.join(", ")} (demo ${input.key.demo ? "on" : "off"}, no tests)\n`,
    );
    const exitCode = await runToLogFile(
      input.runtime,
      {
        name: input.containerName,
        image: input.image,
        cmd: installCommand({
          db: name,
          connection,
          omitPassword: true,
          dataDir: "/var/lib/odoo",
          modules: input.key.modules,
          series: input.series,
          demo: input.key.demo,
          tests: false,
        }),
        env: entrypointEnvironment(connection),
        owner: input.owner,
        labels: { "gantry.role": "template" },
        networkMode: network.networkMode,
        mounts: [{ type: "bind", source: data, target: "/var/lib/odoo" }],
      },
      input.logFile,
      input.signal,
    );
    if (exitCode !== 0) {
      await dropDatabase(input.server, name);
      await bestEffort(`dropping role ${role}`, dropRole(input.server, role));
      await prisma().templateDatabase.deleteMany({ where: { serverId: input.server.id, name } });
      throw new Error(`installing the standard modules into the template failed (exit ${exitCode})`);
    }
    // The template's role may no longer log in; the database belongs to the admin from now on,
    // so a clone's REASSIGN OWNED touches only the objects inside it.
    await setDatabaseOwner(input.server, name, input.server.adminUser);
    await disableLogin(input.server, role);
    await prisma().templateDatabase.update({
      where: { serverId_name: { serverId: input.server.id, name } },
      data: { ready: true, lastUsedAt: new Date() },
    });
    return { name, built: true };
  } finally {
    await lock.release();
  }
}

/** A new database for the build's role, cloned from the template, with its filestore. */
export async function cloneTemplate(input: {
  server: DbServerConnection;
  template: string;
  database: string;
  role: string;
  dataDir: string;
}): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await createDatabase(input.server, input.database, input.role, input.template);
      break;
    } catch (error) {
      // "source database is being accessed by other users": a clone at the same moment.
      if (attempt >= 5 || !/being accessed/.test(String(error))) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
    }
  }
  await reassignOwned(input.server, input.database, templateRoleOf(input.template), input.role);
  const from = join(templateDataDir(input.template), "filestore", input.template);
  if (await ifExists(stat(from))) {
    const to = join(input.dataDir, "filestore");
    await odooWritable(to);
    // Every folder of the copy must stay Odoo's: real Odoo's standard modules leave files in
    // the template's filestore (`xx/` folders), and a build adds attachments into those same
    // folders. copyFilestore keeps owners and modes (hard links: files are never rewritten).
    await copyFilestore(from, join(to, input.database));
    await odooWritable(join(to, input.database));
  }
}

/** Drops templates beyond the configured count (least recently used first) or age. */
export async function evictTemplates(queue: QueueContext, server: DbServerConnection): Promise<string[]> {
  const rows = await prisma().templateDatabase.findMany({
    where: { serverId: server.id, ready: true },
    orderBy: { lastUsedAt: "desc" },
  });
  const maxAge = Date.now() - config().TEMPLATE_MAX_AGE_DAYS * 24 * 3600 * 1000;
  const evict = rows.filter(
    (row, index) => index >= config().TEMPLATE_MAX_COUNT || row.lastUsedAt.getTime() < maxAge,
  );
  const dropped: string[] = [];
  for (const row of evict) {
    const lock = await waitLock(queue, `template:${server.id}:${row.name}`, AbortSignal.timeout(60_000));
    try {
      await dropDatabase(server, row.name);
      await bestEffort(`dropping role of template ${row.name}`, dropRole(server, templateRoleOf(row.name)));
      await rm(templateDataDir(row.name), { recursive: true, force: true });
      await prisma().templateDatabase.delete({ where: { id: row.id } });
      dropped.push(row.name);
    } finally {
      await lock.release();
    }
  }
  await mkdir(join(dataRoot(), "templates"), { recursive: true });
  return dropped;
}
