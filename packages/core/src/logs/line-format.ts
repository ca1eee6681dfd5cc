// The one-line records Gantry writes into a build's logs from other sources (the proxy's
// access log, the database server's slow statements). Their text comes from visitors and
// tenants: it is written JSON-quoted in printable ASCII only, so that it can neither break
// the line (and pose as another record) nor carry a terminal escape.
import type { SlowQuery } from "@gantry/postgres";
import { MAX_STATEMENT_CHARS } from "@gantry/postgres";
import type { AccessEntry } from "../metrics/access-lines";

export function quotedPrintable(value: string): string {
  return JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/**
 * A line of the build's access.log, in the spirit of the combined log format:
 * `<ISO time> <client> "<method> <uri> <proto>" <status> <bytes> <ms>ms "<user agent>"`.
 */
export function formatAccessLine(entry: AccessEntry): string {
  const request = quotedPrintable(`${entry.method} ${entry.uri} ${entry.proto}`);
  const client = /^[0-9a-fA-F.:]+$/.test(entry.clientIp) ? entry.clientIp : "-";
  return `${entry.at.toISOString()} ${client} ${request} ${entry.status} ${entry.bytes} ${entry.durationMs.toFixed(1)}ms ${quotedPrintable(entry.userAgent)}`;
}

/** A line of the build's pg_slow_queries.log: `<ISO time> <ms>ms user=<role> "<statement>"`. */
export function formatSlowQuery(query: SlowQuery): string {
  const capped = query.statement.length >= MAX_STATEMENT_CHARS ? `${query.statement}…` : query.statement;
  const user = /^[A-Za-z0-9_]+$/.test(query.user) ? query.user : quotedPrintable(query.user);
  return `${query.at.toISOString()} ${query.durationMs.toFixed(1)}ms user=${user} ${quotedPrintable(capped)}`;
}
