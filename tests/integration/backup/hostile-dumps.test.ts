// The hostile-dump corpus (tests/fixtures/hostile-dumps, one attack per file) restored the way
// the worker restores an upload into a branch (restoreBackup handing the copy to the build's
// role) and verified the way the worker verifies a backup (verifyBackup). Each dump is either
// refused (by the screen, or by the server because the restore role may not do it) or applied
// harmlessly; either way no object is left owned by an administrator, the server's superusers
// are unchanged, no restore role is left behind, and the file each attack tries to create on
// the host does not exist.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isBackupError, restoreBackup, verifyBackup } from "@gantry/backup";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminConnection, databaseExists, dropDatabase, scratchName, sql } from "./fixture";
import { manifest } from "./hostile-cases";
import { buildZip } from "./raw-zip";

const corpus = new URL("../../fixtures/hostile-dumps/", import.meta.url);

/** What becomes of each dump: the screen refuses it, the server refuses it, or it is applied. */
const expected: Record<string, "screen" | "server" | "applied"> = {
  "alter-role-superuser": "screen",
  "alter-system": "screen",
  "backslash-copy": "screen",
  "check-sets-role-during-copy": "server",
  "commit-mid-dump": "screen",
  "connect-other-database": "screen",
  "copy-data-ends-early": "screen",
  "copy-from-file": "screen",
  "copy-to-file": "screen",
  "create-role-superuser": "screen",
  "do-copy-program-concat": "screen",
  "event-trigger": "screen",
  "grant-admin-role": "screen",
  "grant-execute-server-program": "screen",
  "invalid-utf8": "screen",
  "language-c-quoted": "screen",
  "lexer-desync-client-encoding": "applied",
  "lexer-desync-standard-strings": "applied",
  "lo-import": "screen",
  "nul-byte": "screen",
  "objects-outside-public": "applied",
  "pg-read-file-quoted": "screen",
  "search-path-in-function": "applied",
  "search-path-set-config": "screen",
  "security-definer": "screen",
  "shell-escape": "screen",
  "trigger-becomes-superuser-during-copy": "server",
  "trigger-copy-program-during-copy": "server",
  "update-pg-authid": "screen",
};

let work: string;
let markers: string;
const owner = `gantry_hostile_owner_${randomBytes(4).toString("hex")}`;
let superusers: string[];

const listSuperusers = async () =>
  (await sql<{ rolname: string }>("postgres", "SELECT rolname FROM pg_roles WHERE rolsuper ORDER BY 1")).map(
    (r) => r.rolname,
  );
const restoreRoles = async () =>
  (
    await sql<{ rolname: string }>(
      "postgres",
      "SELECT rolname FROM pg_roles WHERE starts_with(rolname, 'gantry_restore_')",
    )
  )
    .map((r) => r.rolname)
    .sort();

/**
 * Objects of the database owned by a superuser or by the admin, extension members (owned by
 * the bootstrap superuser, as PostgreSQL makes them) and the system schemas left aside.
 */
async function adminOwned(database: string): Promise<string[]> {
  const admin = adminConnection().user;
  const rows = await sql<{ what: string }>(
    database,
    `WITH admins AS (SELECT oid FROM pg_roles WHERE rolsuper OR rolname = $1),
     objects AS (
       SELECT 'pg_class'::regclass AS cls, c.oid, c.relname::text AS name, c.relowner AS owner, c.relnamespace AS ns FROM pg_class c
       UNION ALL SELECT 'pg_proc'::regclass, p.oid, p.proname::text, p.proowner, p.pronamespace FROM pg_proc p
       UNION ALL SELECT 'pg_type'::regclass, t.oid, t.typname::text, t.typowner, t.typnamespace FROM pg_type t
       UNION ALL SELECT 'pg_namespace'::regclass, n.oid, n.nspname::text, n.nspowner, n.oid FROM pg_namespace n
     )
     SELECT o.cls::text || ' ' || o.name AS what FROM objects o
       JOIN pg_namespace n ON n.oid = o.ns
      WHERE o.owner IN (SELECT oid FROM admins)
        AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg_temp%'
        AND n.nspname NOT LIKE 'pg_toast_temp%'
        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = o.cls AND d.objid = o.oid AND d.deptype = 'e')
     UNION ALL
     SELECT 'database' FROM pg_database d WHERE d.datname = current_database() AND d.datdba IN (SELECT oid FROM admins)`,
    [admin],
  );
  return rows.map((r) => r.what);
}

async function archiveOf(name: string): Promise<string> {
  const text = (await readFile(new URL(`${name}.sql`, corpus))).toString("latin1");
  const marker = join(markers, name);
  const dump = Buffer.from(text.replaceAll("@MARKER@", marker), "latin1");
  const path = join(work, `${name}.zip`);
  await writeFile(
    path,
    buildZip([
      { name: "dump.sql", data: dump, deflate: true },
      { name: "manifest.json", data: manifest() },
    ]),
  );
  return path;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "gantry-hostile-dumps-"));
  // Writable by the server's own user: an attack that ran would leave its file here.
  markers = await mkdtemp(join(tmpdir(), "gantry-hostile-markers-"));
  await chmod(markers, 0o777);
  await sql("postgres", `CREATE ROLE ${owner} NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE`);
  superusers = await listSuperusers();
});

afterAll(async () => {
  await sql("postgres", "DROP ROLE IF EXISTS evil");
  await sql("postgres", `DROP ROLE IF EXISTS ${owner}`).catch(() => {});
  if (work) await rm(work, { recursive: true, force: true });
  if (markers) await rm(markers, { recursive: true, force: true });
});

describe("the hostile-dump corpus", () => {
  it("covers every file of the corpus", async () => {
    const files = (await readdir(corpus)).filter((f) => f.endsWith(".sql")).map((f) => f.slice(0, -4));
    expect(files.sort()).toEqual(Object.keys(expected).sort());
  });

  it.each(Object.entries(expected))("%s: %s, and harmless", async (name, outcome) => {
    const archive = await archiveOf(name);
    const database = scratchName("hostile");
    // Restore roles of other restores (another suite's worker killed mid-restore) are not this one's.
    const rolesBefore = await restoreRoles();
    let error: unknown;
    try {
      await restoreBackup({ archive, admin: adminConnection(), database, filestore: null, owner });
    } catch (e) {
      error = e;
    }
    try {
      if (outcome === "screen") expect(isBackupError(error, "SQL_FORBIDDEN"), String(error)).toBe(true);
      if (outcome === "server") {
        expect(isBackupError(error, "COMMAND_FAILED"), String(error)).toBe(true);
        // Refused for want of rights, not for some mistake in the dump.
        expect(String(error)).toMatch(/permission denied|must be superuser|must have privileges/);
      }
      if (outcome === "applied") {
        expect(error).toBeUndefined();
        expect(await adminOwned(database)).toEqual([]);
        const owners = await sql<{ owner: string }>(
          database,
          "SELECT DISTINCT pg_get_userbyid(relowner) AS owner FROM pg_class WHERE relnamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace, 'pg_toast'::regnamespace)",
        );
        expect(owners.map((o) => o.owner)).toEqual([owner]);
      } else {
        expect(await databaseExists(database)).toBe(false);
      }
      // The same archive verified the way the worker verifies a stored backup.
      const report = await verifyBackup({ archive, admin: adminConnection(), scratchDir: work });
      const refusal = report.problems.find((p) => /^restore failed: (dump\.sql line|psql exited)/.test(p));
      expect(Boolean(refusal), report.problems.join("; ")).toBe(outcome !== "applied");
      expect(await listSuperusers()).toEqual(superusers);
      expect(await sql("postgres", "SELECT 1 FROM pg_roles WHERE rolname = 'evil'")).toEqual([]);
      // None left by this restore; one that was there before may have been swept meanwhile.
      expect((await restoreRoles()).filter((role) => !rolesBefore.includes(role))).toEqual([]);
      expect(existsSync(join(markers, name))).toBe(false);
      expect(await readdir(markers)).toEqual([]);
    } finally {
      await dropDatabase(database);
    }
  });
});
