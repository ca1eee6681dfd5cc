// Caddy's JSON access lines of the builds' server, read for the Monitor's HTTP figures and each
// build's access.log. What a request carries (its URI, its user agent) is the visitor's text:
// it is capped and quoted, never written raw.
import { normalHost } from "../routing/access-log";

export interface AccessEntry {
  host: string;
  /** When Caddy logged it: the end of the request. */
  at: Date;
  durationMs: number;
  status: number;
  method: string;
  uri: string;
  proto: string;
  clientIp: string;
  bytes: number;
  userAgent: string;
}

const MAX_URI = 2000;
const MAX_AGENT = 300;
const MAX_LINE = 64 * 1024;

const text = (value: unknown, max: number): string => (typeof value === "string" ? value.slice(0, max) : "");
const num = (value: unknown): number => (typeof value === "number" && Number.isFinite(value) ? value : 0);

/** One access line, or null for anything else (Caddy's other loggers, a torn or foreign line). */
export function parseAccessLine(line: string): AccessEntry | null {
  if (!line.startsWith("{") || line.length > MAX_LINE) return null;
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof entry.logger !== "string" || !entry.logger.startsWith("http.log.access")) return null;
  const request = (typeof entry.request === "object" && entry.request) || {};
  const r = request as Record<string, unknown>;
  const host = typeof r.host === "string" ? normalHost(r.host) : "";
  // Caddy's JSON encoder writes Unix seconds and durations in seconds, as floats.
  const at = new Date(num(entry.ts) * 1000);
  if (!host || at.getTime() === 0) return null;
  const headers = (typeof r.headers === "object" && r.headers) || {};
  const agent = (headers as Record<string, unknown>)["User-Agent"];
  return {
    host,
    at,
    durationMs: Math.max(0, num(entry.duration) * 1000),
    status: Math.trunc(num(entry.status)),
    method: text(r.method, 16),
    uri: text(r.uri, MAX_URI),
    proto: text(r.proto, 16),
    clientIp: text(r.client_ip, 64) || text(r.remote_ip, 64),
    bytes: Math.trunc(num(entry.size)),
    userAgent: text(Array.isArray(agent) ? agent[0] : "", MAX_AGENT),
  };
}
