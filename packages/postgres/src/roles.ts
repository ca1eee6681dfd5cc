// Login roles of builds and upgrade attempts, administered from the `postgres` database.
// A build's role is no superuser and creates neither databases nor roles: Odoo connects with
// it and owns its own database only.
//
// The administrator of a build server need not be a superuser: CREATEDB CREATEROLE, plus
// pg_signal_backend to end other roles' sessions, is enough, because it is made a member of
// every role it creates. Membership is what PostgreSQL asks for to create a database owned by
// a role, to copy, rename, drop or hand over that role's databases (ownership checks accept a
// member of the owner) and to REASSIGN OWNED BY / TO it.
// On PostgreSQL 15 CREATEROLE still lets a role grant itself pg_execute_server_program (16
// closed that), so the administrator's connections must never run a tenant's code: whatever
// writes into a build's database connects as the build's role (see the worker's neutralize).
import { onServer, type PgAdmin } from "./connection";
import { ident } from "./identifiers";

/**
 * (Re)creates a login role with a fresh password (replacing any role of that name); the
 * administrator becomes a member of it (see above). A superuser administrator needs no
 * membership, but holding it changes nothing for one. `comment` is stored on the role in the
 * same transaction: a role never exists without it.
 */
export async function createRole(
  admin: PgAdmin,
  role: string,
  password: string,
  options: { comment?: string } = {},
): Promise<void> {
  // The password is a literal here (CREATE ROLE takes no parameters); it is hex from randomBytes.
  if (!/^[0-9a-f]{16,128}$/.test(password)) throw new Error("unexpected password format");
  await onServer(admin, async (client) => {
    await client.query("BEGIN");
    try {
      await client.query(`DROP ROLE IF EXISTS ${ident(role)}`);
      await client.query(
        `CREATE ROLE ${ident(role)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '${password}'`,
      );
      if (options.comment !== undefined)
        await client.query(`COMMENT ON ROLE ${ident(role)} IS ${client.escapeLiteral(options.comment)}`);
      await client.query(`GRANT ${ident(role)} TO CURRENT_USER`);
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    }
  });
}

/** Drops a role when it exists; one that still owns something fails (the caller decides). */
export async function dropRole(admin: PgAdmin, role: string): Promise<void> {
  await onServer(admin, async (client) => {
    const exists = await client.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [role]);
    if (exists.rowCount === 0) return;
    await client.query(`DROP ROLE IF EXISTS ${ident(role)}`);
  });
}

/** Every role name on the server. */
export async function listRoles(admin: PgAdmin): Promise<string[]> {
  return onServer(admin, async (client) => {
    const rows = await client.query<{ rolname: string }>("SELECT rolname FROM pg_roles");
    return rows.rows.map((row) => row.rolname);
  });
}

export async function rolesWithPrefix(admin: PgAdmin, prefix: string): Promise<string[]> {
  return onServer(admin, async (client) => {
    const rows = await client.query<{ rolname: string }>(
      "SELECT rolname FROM pg_roles WHERE starts_with(rolname, $1)",
      [prefix],
    );
    return rows.rows.map((row) => row.rolname);
  });
}

/** The role keeps what it owns but may no longer log in. */
export async function disableLogin(admin: PgAdmin, role: string): Promise<void> {
  await onServer(admin, (client) => client.query(`ALTER ROLE ${ident(role)} NOLOGIN`));
}

/**
 * `member` is granted `role` and becomes it at every login (SET ROLE through the role's
 * settings), so whatever it creates belongs to `role`.
 */
export async function actAsRole(admin: PgAdmin, member: string, role: string): Promise<void> {
  await onServer(admin, async (client) => {
    await client.query(`GRANT ${ident(role)} TO ${ident(member)}`);
    await client.query(`ALTER ROLE ${ident(member)} SET role = ${ident(role)}`);
  });
}
