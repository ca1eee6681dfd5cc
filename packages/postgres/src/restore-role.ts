// The role a dump is restored as. Uploaded dumps are hostile: psql runs them over a fresh
// connection as a login role made for that one restore, which is no superuser, creates no
// database or role, is member of no role and owns nothing but the database it restores into.
// Whatever the dump's SQL (or a function it makes the server run) attempts, it attempts with
// those rights. Afterwards everything it created is handed to the role that will use the
// database (REASSIGN OWNED is exact here: the restore role owns nothing else) and it is dropped.
import { randomBytes } from "node:crypto";
import { onServer, type PgAdmin, withAdmin } from "./connection";
import { ident } from "./identifiers";
import { createRole, dropRole } from "./roles";

export const RESTORE_ROLE_PREFIX = "gantry_restore_";

export interface RestoreRole {
  user: string;
  password: string;
}

export async function createRestoreRole(admin: PgAdmin): Promise<RestoreRole> {
  const role = {
    user: `${RESTORE_ROLE_PREFIX}${randomBytes(6).toString("hex")}`,
    password: randomBytes(24).toString("hex"),
  };
  await createRole(admin, role.user, role.password);
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
