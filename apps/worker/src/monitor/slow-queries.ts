// Each build's pg_slow_queries.log, from its database server's own log: the build clusters log
// statements slower than SLOW_QUERY_MS as JSON lines (scripts/services sets it up), which the
// worker follows from where the previous cycle stopped and hands to the build whose database
// each statement ran in. Only servers on this machine are read (their log is a local file);
// the server names its log file itself (pg_current_logfile, granted to its administrator).
import { constants } from "node:fs";
import { open } from "node:fs/promises";
import { dirname, isAbsolute } from "node:path";
import { formatSlowQuery, type Logger, listDbServers } from "@gantry/core";
import { prisma } from "@gantry/db";
import { onServer, parseSlowQuery, type SlowQuery } from "@gantry/postgres";
import { appendBuildLog } from "./build-log-append";
import { followLog } from "./follow-log";

const MAX_CYCLE_BYTES = 16 * 1024 * 1024;
const localHosts = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

async function jsonLogOf(server: Awaited<ReturnType<typeof listDbServers>>[number]): Promise<string | null> {
  const file = await onServer(server, async (client) => {
    const { rows } = await client.query<{ file: string | null }>(
      "SELECT pg_current_logfile('jsonlog') AS file",
    );
    return rows[0]?.file ?? null;
  });
  // A relative name is under the data directory, which the administrator may not read.
  return file && isAbsolute(file) ? file : null;
}

/** The newest build still holding each database name on the server. */
async function buildsByDatabase(serverId: string, names: readonly string[]): Promise<Map<string, string>> {
  const rows = await prisma().build.findMany({
    where: { dbServerId: serverId, databaseName: { in: [...names] }, cleanedAt: null },
    orderBy: { createdAt: "asc" },
    select: { id: true, databaseName: true },
  });
  return new Map(rows.map((row) => [row.databaseName as string, row.id]));
}

async function followServer(server: Awaited<ReturnType<typeof listDbServers>>[number]): Promise<number> {
  const path = await jsonLogOf(server);
  if (!path) return 0;
  const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  const found: SlowQuery[] = [];
  try {
    await followLog({
      source: `pg:${server.id}`,
      handle,
      // Each rotation starts a file of its own name in the same folder.
      rotated: { dir: dirname(path), prefix: "" },
      maxBytes: MAX_CYCLE_BYTES,
      onLines: (lines) => {
        for (const line of lines) {
          const query = parseSlowQuery(line);
          if (query) found.push(query);
        }
      },
    });
  } finally {
    await handle.close();
  }
  if (found.length === 0) return 0;
  const owners = await buildsByDatabase(server.id, [...new Set(found.map((q) => q.database))]);
  const perBuild = new Map<string, string[]>();
  for (const query of found) {
    const buildId = owners.get(query.database);
    if (!buildId) continue;
    const lines = perBuild.get(buildId) ?? [];
    lines.push(formatSlowQuery(query));
    perBuild.set(buildId, lines);
  }
  for (const [buildId, lines] of perBuild) await appendBuildLog(buildId, "pg_slow_queries.log", lines);
  return [...perBuild.values()].reduce((sum, lines) => sum + lines.length, 0);
}

/** Follows every local database server's log; returns the statements written to builds' logs. */
export async function collectSlowQueries(logger: Logger): Promise<number> {
  let written = 0;
  for (const server of await listDbServers()) {
    if (!localHosts.has(server.host)) continue;
    try {
      written += await followServer(server);
    } catch (error) {
      logger.warn(
        { err: error, serverId: server.id },
        "the database server's slow statements could not be read",
      );
    }
  }
  return written;
}
