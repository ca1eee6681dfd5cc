// The role a dump is restored as. Uploaded dumps are hostile: psql runs them over a fresh
// connection as a login role made for that one restore, which is no superuser, creates no
// database or role, is member of no role and owns nothing but the database it restores into.
// Whatever the dump's SQL (or a function it makes the server run) attempts, it attempts with
// those rights. Afterwards everything it created is handed to the role that will use the
// database (REASSIGN OWNED is exact here: the restore role owns nothing else) and it is dropped.
import { randomBytes } from "node:crypto";
import { onServer, type PgAdmin, withAdmin } from "./connection";
import { dropDatabase } from "./databases";
import { ident } from "./identifiers";
import { createRole, dropRole } from "./roles";

export const RESTORE_ROLE_PREFIX = "gantry_restore_";

export interface RestoreRole {
  user: string;
  password: string;
}

/**
 * A restore role's name carries the second it was made (base 36), so that a sweep can tell a
 * role a killed restore left behind from one a running restore has only just made.
 */
export function restoreRoleName(now = Date.now()): string {
  return `${RESTORE_ROLE_PREFIX}${Math.floor(now / 1000).toString(36)}_${randomBytes(6).toString("hex")}`;
}

/** When a restore role was made, from its name; undefined for names without the time (older ones). */
export function restoreRoleCreatedAt(role: string): number | undefined {
  const stamp = /^gantry_restore_([0-9a-z]{6,8})_[0-9a-f]{12}$/.exec(role)?.[1];
  return stamp ? Number.parseInt(stamp, 36) * 1000 : undefined;
}

/** What a restore role's comment says: the database it is made to restore into. */
function restoreComment(database: string): string {
  return `restore into ${database}`;
}

/**
 * Makes the role a restore into `database` runs as. The role carries the database's name from
 * its first moment (see createRole), so that when the database goes (dropRestoredDatabase) the
 * role goes with it, even if the restore died before the database existed or was handed to it.
 */
export async function createRestoreRole(admin: PgAdmin, database: string): Promise<RestoreRole> {
  const role = {
    user: restoreRoleName(),
    password: randomBytes(24).toString("hex"),
  };
  await createRole(admin, role.user, role.password, { comment: restoreComment(database) });
  return role;
}

/**
 * Prepares a new, empty database for a restore as `role`: its schema public belongs to the
 * role too (on PostgreSQL 14 and older it belongs to the bootstrap superuser), so nothing in
 * the restored database is left to an administrator.
 */
export async function prepareRestoreTarget(admin: PgAdmin, database: string, role: string): Promise<void> {
  await withAdmin(admin, database, (client) => client.query(`ALTER SCHEMA public OWNER TO ${ident(role)}`));
}

/**
 * Hands the restored database and everything in it from the restore role to `owner`, then
 * drops the restore role. The database's own objects go with REASSIGN OWNED; privileges the
 * dump granted to the restore role itself go with DROP OWNED.
 */
export async function handOverRestore(
  admin: PgAdmin,
  database: string,
  role: string,
  owner: string,
): Promise<void> {
  await withAdmin(admin, database, async (client) => {
    await client.query(`REASSIGN OWNED BY ${ident(role)} TO ${ident(owner)}`);
    await client.query(`DROP OWNED BY ${ident(role)}`);
  });
  await dropRole(admin, role);
}

/** Drops a restore role once its database is gone (a verification, a scratch copy, a failure). */
export async function dropRestoreRole(admin: PgAdmin, role: string): Promise<void> {
  if (!role.startsWith(RESTORE_ROLE_PREFIX)) throw new Error(`${role} is not a restore role`);
  await onServer(admin, async (client) => {
    // Memberships the restore's SQL granted in its own role end with it.
    await client.query(`DROP ROLE IF EXISTS ${ident(role)}`);
  });
}

/**
 * Drops a database a restore made and the restore roles made for it: the one that still owns
 * it (the restore was cut short before handing it over) and any made to restore into it that
 * never came to own it (cut short while the database was being created).
 */
export async function dropRestoredDatabase(admin: PgAdmin, database: string): Promise<void> {
  const owner = await onServer(admin, async (client) => {
    const rows = await client.query<{ owner: string }>(
      "SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1",
      [database],
    );
    return rows.rows[0]?.owner;
  });
  await dropDatabase(admin, database);
  if (owner?.startsWith(RESTORE_ROLE_PREFIX)) await dropRestoreRole(admin, owner);
  await dropRestoreRolesInto(admin, database, { prefix: false });
}

/** Restore roles ($1: the prefix) that own no database: what the sweeps below narrow down. */
const UNOWNING_RESTORE_ROLES = `SELECT r.rolname FROM pg_roles r
        WHERE starts_with(r.rolname, $1)
          AND NOT EXISTS (SELECT 1 FROM pg_database d WHERE d.datdba = r.oid)`;

/**
 * Drops the restore roles made to restore into `database` (with `prefix`, into any database
 * whose name starts with it) that own no database: what restores cut short left once their
 * databases are gone. Returns their names.
 */
export async function dropRestoreRolesInto(
  admin: PgAdmin,
  database: string,
  options: { prefix: boolean },
): Promise<string[]> {
  const roles = await onServer(admin, async (client) => {
    const rows = await client.query<{ rolname: string }>(
      `${UNOWNING_RESTORE_ROLES}
          AND CASE WHEN $3 THEN starts_with(shobj_description(r.oid, 'pg_authid'), $2)
                   ELSE shobj_description(r.oid, 'pg_authid') = $2 END`,
      [RESTORE_ROLE_PREFIX, restoreComment(database), options.prefix],
    );
    return rows.rows.map((row) => row.rolname);
  });
  for (const role of roles) await dropRestoreRole(admin, role);
  return roles;
}

/**
 * Restore roles left by restores that died (a worker killed between making the role and
 * dropping it): roles that own no database, have no session and were made more than
 * `minAgeMs` ago. A running restore's role owns its database from the moment after it is made
 * until the moment before it is dropped; the age covers those two moments. A role that still
 * owns something elsewhere fails to drop and is reported, not forced.
 */
export async function dropDeadRestoreRoles(
  admin: PgAdmin,
  options: { minAgeMs: number; now?: number },
): Promise<{ dropped: string[]; failed: { role: string; error: string }[] }> {
  const now = options.now ?? Date.now();
  const candidates = await onServer(admin, async (client) => {
    const rows = await client.query<{ rolname: string }>(
      `${UNOWNING_RESTORE_ROLES}
          AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.usesysid = r.oid)`,
      [RESTORE_ROLE_PREFIX],
    );
    return rows.rows.map((row) => row.rolname);
  });
  const dropped: string[] = [];
  const failed: { role: string; error: string }[] = [];
  for (const role of candidates) {
    const madeAt = restoreRoleCreatedAt(role);
    if (madeAt !== undefined && now - madeAt < options.minAgeMs) continue;
    try {
      await dropRestoreRole(admin, role);
      dropped.push(role);
    } catch (error) {
      failed.push({ role, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return { dropped, failed };
}
