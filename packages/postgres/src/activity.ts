// What a server's databases are doing, for many databases in one round trip: the Monitor
// collector asks once per server per cycle, never once per build.
import type pg from "pg";

export interface DatabaseActivity {
  /** Connections open to the database (any state), the collector's own excluded. */
  connections: number;
  /** Seconds the oldest statement still running has run; 0 when none runs. */
  longestQuerySeconds: number;
  /** pg_database_size, when asked for: it walks the database's files. */
  sizeBytes: number | null;
}

/**
 * Activity of `databases` on the server `client` is connected to. Databases that do not exist
 * are left out. Those also in `sized` get pg_database_size, which stats every file of the
 * database: the caller asks for it at a slower pace than the rest.
 */
export async function databaseActivity(
  client: pg.Client,
  databases: readonly string[],
  sized: readonly string[],
): Promise<Map<string, DatabaseActivity>> {
  const found = new Map<string, DatabaseActivity>();
  if (databases.length === 0) return found;
  const { rows } = await client.query<{
    datname: string;
    connections: number;
    longest: number;
    size: string | null;
  }>(
    `WITH activity AS (
       SELECT datname, count(*)::int AS connections,
              coalesce(max(extract(epoch FROM clock_timestamp() - query_start))
                FILTER (WHERE state = 'active'), 0)::float8 AS longest
         FROM pg_stat_activity
        WHERE datname = ANY($1::text[]) AND pid <> pg_backend_pid()
        GROUP BY datname)
     SELECT d.datname, coalesce(a.connections, 0) AS connections, coalesce(a.longest, 0) AS longest,
            CASE WHEN d.datname = ANY($2::text[]) THEN pg_database_size(d.oid)::text END AS size
       FROM pg_database d LEFT JOIN activity a ON a.datname = d.datname
      WHERE d.datname = ANY($1::text[])`,
    [databases, sized],
  );
  for (const row of rows) {
    found.set(row.datname, {
      connections: row.connections,
      longestQuerySeconds: Math.max(0, row.longest),
      sizeBytes: row.size === null ? null : Number(row.size),
    });
  }
  return found;
}
