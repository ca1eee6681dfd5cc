// Restore roles a dead restore leaves behind: the sweep drops those that own no database, have
// no session and are older than the window a running restore needs; everything else stays.
import { randomBytes } from "node:crypto";
import {
  createRestoreRole,
  dropDeadRestoreRoles,
  dropRestoredDatabase,
  dropRestoreRolesInto,
  RESTORE_ROLE_PREFIX,
  restoreRoleCreatedAt,
  restoreRoleName,
} from "@gantry/postgres";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { adminConnection, databaseExists, sql } from "./fixture";

const made: string[] = [];
const databases: string[] = [];
const HOUR = 60 * 60 * 1000;

const PASSWORD = randomBytes(12).toString("hex");

async function role(name: string): Promise<string> {
  await sql("postgres", `CREATE ROLE "${name}" LOGIN PASSWORD '${PASSWORD}'`);
  made.push(name);
  return name;
}

async function roleExists(name: string): Promise<boolean> {
  return (await sql("postgres", "SELECT 1 FROM pg_roles WHERE rolname = $1", [name])).length > 0;
}

async function ownedDatabase(owner: string): Promise<string> {
  const name = `gantry_bk_roles_${randomBytes(4).toString("hex")}`;
  await sql("postgres", `CREATE DATABASE "${name}" OWNER "${owner}"`);
  databases.push(name);
  return name;
}

afterAll(async () => {
  for (const name of databases) await sql("postgres", `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  for (const name of made) await sql("postgres", `DROP ROLE IF EXISTS "${name}"`);
});

describe("restore role names", () => {
  it("carry the second they were made", () => {
    const now = Date.UTC(2026, 11, 7, 12, 0, 0);
    const name = restoreRoleName(now);
    expect(name.startsWith(RESTORE_ROLE_PREFIX)).toBe(true);
    expect(name.length).toBeLessThanOrEqual(63);
    expect(restoreRoleCreatedAt(name)).toBe(now);
    expect(restoreRoleCreatedAt(`${RESTORE_ROLE_PREFIX}0123456789ab`)).toBeUndefined();
  });

  it("come from createRestoreRole", async () => {
    const created = await createRestoreRole(adminConnection(), "gantry_bk_roles_target");
    made.push(created.user);
    const at = restoreRoleCreatedAt(created.user);
    expect(at).toBeDefined();
    expect(Math.abs(Date.now() - at!)).toBeLessThan(HOUR);
  });
});

describe("dropDeadRestoreRoles", () => {
  it("drops old restore roles that own nothing and keeps the rest", async () => {
    const now = Date.now();
    const dead = await role(restoreRoleName(now - 2 * HOUR));
    const undated = await role(`${RESTORE_ROLE_PREFIX}${randomBytes(6).toString("hex")}`);
    const young = await role(restoreRoleName(now - 60_000));
    const owning = await role(restoreRoleName(now - 2 * HOUR));
    await ownedDatabase(owning);
    const connected = await role(restoreRoleName(now - 2 * HOUR));
    const notRestore = await role(`gantry_bk_notrestore_${randomBytes(4).toString("hex")}`);

    const admin = adminConnection();
    const session = new pg.Client({ ...admin, user: connected, password: PASSWORD, database: "postgres" });
    await session.connect();
    try {
      const result = await dropDeadRestoreRoles(admin, { minAgeMs: 10 * 60 * 1000, now });
      expect(result.dropped).toEqual(expect.arrayContaining([dead, undated]));
      for (const kept of [young, owning, connected, notRestore]) expect(result.dropped).not.toContain(kept);
      expect(await roleExists(dead)).toBe(false);
      expect(await roleExists(undated)).toBe(false);
      for (const kept of [young, owning, connected, notRestore]) expect(await roleExists(kept)).toBe(true);
    } finally {
      await session.end();
    }
  });
});

describe("dropRestoredDatabase", () => {
  it("drops the database with the restore role that owns it", async () => {
    const owner = await role(restoreRoleName());
    const database = await ownedDatabase(owner);
    await dropRestoredDatabase(adminConnection(), database);
    expect(await databaseExists(database)).toBe(false);
    expect(await roleExists(owner)).toBe(false);
  });

  it("drops the role made to restore into it that never came to own it", async () => {
    const database = `gantry_bk_roles_${randomBytes(4).toString("hex")}`;
    const admin = adminConnection();
    // A restore cut short while its database was being created: the role exists, owns nothing.
    const unborn = await createRestoreRole(admin, database);
    made.push(unborn.user);
    const other = await createRestoreRole(admin, `${database}x`);
    made.push(other.user);
    await dropRestoredDatabase(admin, database);
    expect(await roleExists(unborn.user)).toBe(false);
    expect(await roleExists(other.user)).toBe(true);
  });

  it("leaves an owner that is not a restore role", async () => {
    const owner = await role(`gantry_bk_owner_${randomBytes(4).toString("hex")}`);
    const database = await ownedDatabase(owner);
    await dropRestoredDatabase(adminConnection(), database);
    expect(await databaseExists(database)).toBe(false);
    expect(await roleExists(owner)).toBe(true);
  });
});

describe("dropRestoreRolesInto", () => {
  it("drops the roles of restores into databases named with a prefix, not those owning one", async () => {
    const admin = adminConnection();
    const prefix = `gantry_bk_roles_${randomBytes(4).toString("hex")}_in`;
    const dead = await createRestoreRole(admin, `${prefix}0a0b0c`);
    const owning = await createRestoreRole(admin, `${prefix}1a1b1c`);
    const elsewhere = await createRestoreRole(admin, "gantry_bk_roles_elsewhere_in2a2b2c");
    made.push(dead.user, owning.user, elsewhere.user);
    await ownedDatabase(owning.user);
    expect(await dropRestoreRolesInto(admin, prefix, { prefix: true })).toEqual([dead.user]);
    expect(await roleExists(dead.user)).toBe(false);
    expect(await roleExists(owning.user)).toBe(true);
    expect(await roleExists(elsewhere.user)).toBe(true);
  });
});
