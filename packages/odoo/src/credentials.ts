// The credentials check: on staging and production, known demo/test passwords (admin/admin,
// demo/demo, ...) are removed whenever a database is created, imported or restored. The
// affected users get an unusable password: the hash of a random secret nobody keeps.
import { randomBytes } from "node:crypto";
import type { SqlStatement } from "./neutralize";
import { hashPassword, ODOO_PBKDF2_ROUNDS, verifyPassword } from "./passwords";

export interface UserPasswordRow {
  id: number;
  login: string;
  password: string | null;
}

export interface WeakCredential {
  login: string;
  password: string;
}

/** The pairs Odoo's demo data and habit leave behind. Checked per login, so cost stays tiny. */
export const KNOWN_WEAK_CREDENTIALS: readonly WeakCredential[] = [
  { login: "admin", password: "admin" },
  { login: "demo", password: "demo" },
  { login: "portal", password: "portal" },
];

/** Reads what the check needs; run it on the target database. */
export const SELECT_USER_PASSWORDS_SQL =
  "SELECT id, login, password FROM res_users WHERE password IS NOT NULL AND password <> '' ORDER BY id";

export interface WeakUser {
  id: number;
  login: string;
}

/** The users whose stored password is one of the known weak ones for their login. */
export async function findWeakCredentials(
  rows: readonly UserPasswordRow[],
  known: readonly WeakCredential[] = KNOWN_WEAK_CREDENTIALS,
): Promise<WeakUser[]> {
  const weak: WeakUser[] = [];
  for (const row of rows) {
    if (!row.password) continue;
    const candidates = known.filter((pair) => pair.login === row.login).map((pair) => pair.password);
    for (const candidate of new Set(candidates)) {
      if (await verifyPassword(candidate, row.password)) {
        weak.push({ id: row.id, login: row.login });
        break;
      }
    }
  }
  return weak;
}

/** One parameterised UPDATE per weak user, each to the hash of a fresh random secret. */
export async function resetPasswordStatements(
  users: readonly WeakUser[],
  options: { rounds?: number } = {},
): Promise<SqlStatement[]> {
  const statements: SqlStatement[] = [];
  for (const user of users) {
    const hash = await hashPassword(randomBytes(32).toString("base64"), {
      rounds: options.rounds ?? ODOO_PBKDF2_ROUNDS,
    });
    statements.push({
      description: `reset the known weak password of user ${user.login} (id ${user.id})`,
      sql: "UPDATE res_users SET password = $1 WHERE id = $2",
      params: [hash, user.id],
    });
  }
  return statements;
}
