// PostgreSQL's slow statements (log_min_duration_statement) read from a cluster's JSON log
// (log_destination 'jsonlog', PostgreSQL 15+): one JSON object per line, so a tenant's
// statement with newlines in it stays inside its own entry and cannot pose as another
// database's. The statement is the tenant's text: capped here, quoted when written out.
export interface SlowQuery {
  at: Date;
  database: string;
  user: string;
  durationMs: number;
  statement: string;
}

export const MAX_STATEMENT_CHARS = 2000;
const MAX_ENTRY = 256 * 1024;

// `duration: 1001.617 ms  statement: SELECT ...`; the extended protocol logs `execute <name>:`.
const durationMessage = /^duration: (\d+(?:\.\d+)?) ms {2}(?:statement|execute [^:]{0,200}): ([\s\S]*)$/;

/** jsonlog's `2026-12-07 00:15:54.123 UTC` (log_timezone's name last). */
function timeOf(value: unknown): Date {
  if (typeof value !== "string") return new Date(Number.NaN);
  const utc = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d(?:\.\d+)?) (?:UTC|GMT)$/.exec(value);
  return new Date(utc ? `${utc[1]}T${utc[2]}Z` : value);
}

/** A slow statement of a jsonlog line, or null for every other entry. */
export function parseSlowQuery(line: string): SlowQuery | null {
  if (!line.startsWith("{") || line.length > MAX_ENTRY) return null;
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof entry.message !== "string" || typeof entry.dbname !== "string") return null;
  const match = durationMessage.exec(entry.message);
  if (!match) return null;
  const at = timeOf(entry.timestamp);
  return {
    at: Number.isNaN(at.getTime()) ? new Date() : at,
    database: entry.dbname,
    user: typeof entry.user === "string" ? entry.user.slice(0, 64) : "",
    durationMs: Number(match[1]),
    statement: (match[2] as string).slice(0, MAX_STATEMENT_CHARS),
  };
}
