// The proxy's side of a collector cycle: Caddy's access log of the builds' server (the one idle
// sleep reads too) followed from where the previous cycle stopped, each request attributed to
// the build serving its host. Every request goes into that build's access.log; the figures of
// the cycle (counts, percentiles, peak in flight) go into its sample.
import { open } from "node:fs/promises";
import { basename, dirname, extname } from "node:path";
import {
  type AccessEntry,
  ensureAccessLog,
  formatAccessLine,
  type HttpFigures,
  HttpWindow,
  type Logger,
  parseAccessLine,
  servedHosts,
} from "@gantry/core";
import { appendBuildLog } from "./build-log-append";
import { followLog } from "./follow-log";

/** The most of the log one cycle reads; a larger backlog (a flood, a long pause) is skipped. */
const MAX_CYCLE_BYTES = 64 * 1024 * 1024;
/** access.log lines held before they are written, so a flood is written in batches. */
const FLUSH_LINES = 2000;

/** `path`: Caddy's access log of the builds (asked of Caddy when not given). */
export async function readHttpFigures(logger: Logger, path?: string): Promise<Map<string, HttpFigures>> {
  path ??= await ensureAccessLog();
  const handle = await open(path, "r").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return null; // Caddy creates it on the first request
    throw error;
  });
  if (!handle) return new Map();
  const hosts = await servedHosts();
  const windows = new Map<string, HttpWindow>();
  const pending = new Map<string, string[]>();
  const flush = async (buildId: string) => {
    const lines = pending.get(buildId) ?? [];
    pending.delete(buildId);
    await appendBuildLog(buildId, "access.log", lines).catch((error: unknown) =>
      logger.warn({ err: error, buildId }, "access.log could not be written"),
    );
  };
  const take = async (entry: AccessEntry) => {
    const buildId = hosts.get(entry.host);
    if (!buildId) return;
    const window = windows.get(buildId) ?? new HttpWindow();
    windows.set(buildId, window);
    window.add(entry);
    const lines = pending.get(buildId) ?? [];
    lines.push(formatAccessLine(entry));
    pending.set(buildId, lines);
    if (lines.length >= FLUSH_LINES) await flush(buildId);
  };
  try {
    const name = basename(path, extname(path));
    await followLog({
      source: "caddy:access",
      handle,
      // Caddy rolls `builds-access.log` aside as `builds-access-<time>.log`.
      rotated: { dir: dirname(path), prefix: `${name}-` },
      maxBytes: MAX_CYCLE_BYTES,
      onLines: async (lines) => {
        for (const line of lines) {
          const entry = parseAccessLine(line);
          if (entry) await take(entry);
        }
      },
    });
  } finally {
    await handle.close();
  }
  for (const buildId of [...pending.keys()]) await flush(buildId);
  return new Map([...windows].map(([buildId, window]) => [buildId, window.figures()]));
}
