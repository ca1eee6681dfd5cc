// How pg_dump, pg_restore and psql are pointed at a server. Everything comes from the
// arguments and the few variables set here: libpq would otherwise also read the service file,
// a default database, session options or a password file from Gantry's own environment, and
// connect somewhere else or as someone else than asked.
import { inheritedEnv } from "@gantry/config";
import { DEFAULT_PORT, type PgLogin } from "./connection";

/** libpq variables that would change where or how a child process connects. */
export const CLEARED_PG_VARIABLES = [
  "PGHOST",
  "PGHOSTADDR",
  "PGPORT",
  "PGUSER",
  "PGPASSWORD",
  "PGPASSFILE",
  "PGDATABASE",
  "PGSERVICE",
  "PGSERVICEFILE",
  "PGSYSCONFDIR",
  "PGOPTIONS",
  "PGTARGETSESSIONATTRS",
] as const;

/** Arguments common to pg_dump, pg_restore and psql; the database goes separately (--dbname). */
export function connectionArgs(login: PgLogin): string[] {
  return [
    "--host",
    login.host,
    "--port",
    String(login.port ?? DEFAULT_PORT),
    "--username",
    login.user,
    "--no-password",
  ];
}

/**
 * The child's environment: the inherited one without the libpq variables above, the password
 * as PGPASSWORD (never on the command line, where `ps` shows it), then `extra` (PGOPTIONS,
 * PGAPPNAME, ... of the caller's choosing).
 */
export function connectionEnv(login: PgLogin, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = inheritedEnv();
  for (const key of CLEARED_PG_VARIABLES) delete env[key];
  if (login.password !== undefined) env.PGPASSWORD = login.password;
  return { ...env, ...extra };
}
