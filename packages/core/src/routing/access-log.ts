// When was each build last requested? Caddy writes an access log line for every request to
// the builds' server; Gantry points that log at a file (or reads where Caddy already writes
// it) and takes the newest time per host. It counts what people and their browsers asked
// for through the proxy, and nothing Gantry itself sends to the container directly.
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { config } from "@gantry/config";
import { caddy, ensureServer, expectOk, readConfig, serverPath } from "./caddy-admin";

/** Caddy's logger for the builds' server: its access lines are `http.log.access.<name>`. */
export const accessLoggerName = "gantry_builds";
const accessNamespace = `http.log.access.${accessLoggerName}`;

interface CaddyLog {
  writer?: { output?: string; filename?: string; [key: string]: unknown };
  include?: string[];
  exclude?: string[];
  [key: string]: unknown;
}
interface CaddyLogging {
  logs?: Record<string, CaddyLog>;
  [key: string]: unknown;
}

function defaultAccessLogPath(): string {
  return resolve(
    config().CADDY_ACCESS_LOG ?? resolve(config().GANTRY_DATA_DIR, "caddy", "builds-access.log"),
  );
}

/**
 * Makes Caddy log the builds' requests as JSON lines to a file and returns that file. When
 * Caddy already does (another process set it up, maybe with another path), that file is
 * used as is, so every Gantry process sharing one Caddy reads the same log.
 */
export async function ensureAccessLog(): Promise<string> {
  await ensureServer();
  const serverLogs = (await readConfig<Record<string, unknown>>(`${serverPath}/logs`)) ?? {};
  if (serverLogs.default_logger_name !== accessLoggerName) {
    await expectOk(
      await caddy("POST", `${serverPath}/logs`, { ...serverLogs, default_logger_name: accessLoggerName }),
      "log the builds' requests",
    );
  }
  const logging = (await readConfig<CaddyLogging>("/config/logging")) ?? {};
  const current = logging.logs?.[accessLoggerName]?.writer;
  // A folder that is gone (a removed data dir) means Caddy writes into a deleted file: the
  // log is pointed anew.
  if (current?.output === "file" && current.filename && existsSync(dirname(current.filename))) {
    return current.filename;
  }
  const filename = defaultAccessLogPath();
  // The reader runs beside Caddy (see README): the folder is made here, before Caddy's first line.
  await mkdir(dirname(filename), { recursive: true });
  const defaultLog = logging.logs?.default ?? {};
  const next: CaddyLogging = {
    ...logging,
    logs: {
      ...logging.logs,
      [accessLoggerName]: {
        writer: { output: "file", filename, roll_size_mb: 10, roll_keep: 2 },
        encoder: { format: "json" },
        include: [accessNamespace],
      },
      // The access lines go to the file only, not also to Caddy's own log.
      default: { ...defaultLog, exclude: [...new Set([...(defaultLog.exclude ?? []), accessNamespace])] },
    },
  };
  await expectOk(await caddy("POST", "/config/logging", next), "write the builds' access log");
  return filename;
}

/** `Host` as a request carries it, compared without port and case. */
export function normalHost(host: string): string {
  return host.trim().toLowerCase().replace(/:\d+$/, "");
}

function timeOf(ts: unknown): Date | null {
  // Caddy's JSON encoder writes Unix seconds as a float; a configured time_format may be text.
  const date = typeof ts === "number" ? new Date(ts * 1000) : typeof ts === "string" ? new Date(ts) : null;
  return date && !Number.isNaN(date.getTime()) ? date : null;
}

/** The newest request time per host in a chunk of Caddy's JSON access log; other lines are skipped. */
export function lastRequestsByHost(text: string): Map<string, Date> {
  const latest = new Map<string, Date>();
  for (const line of text.split("\n")) {
    if (!line.startsWith("{")) continue;
    let entry: { logger?: unknown; ts?: unknown; request?: { host?: unknown } };
    try {
      entry = JSON.parse(line);
    } catch {
      continue;
    }
    if (typeof entry.logger !== "string" || !entry.logger.startsWith("http.log.access")) continue;
    const host = typeof entry.request?.host === "string" ? normalHost(entry.request.host) : "";
    const at = timeOf(entry.ts);
    if (!host || !at) continue;
    const seen = latest.get(host);
    if (!seen || seen < at) latest.set(host, at);
  }
  return latest;
}
