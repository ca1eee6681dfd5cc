// A database restored with the admin role must belong to the build's role, which Odoo connects
// as (and which must own its tables to update modules). REASSIGN OWNED BY the admin would also
// hand over every database the admin owns on the server, so the objects of the restored
// database are handed over one by one instead; sequences owned by a column follow their table.
import { bestEffort } from "@gantry/config";
import { type PgAdmin, withAdmin } from "./connection";
import { ident } from "./identifiers";

export async function giveDatabaseTo(admin: PgAdmin, database: string, role: string): Promise<void> {
  const quotedRole = ident(role);
  const quotedDatabase = ident(database);
  await withAdmin(admin, database, async (client) => {
    try {
      await client.query("BEGIN");
      await client.query(`ALTER DATABASE ${quotedDatabase} OWNER TO ${quotedRole}`);
      await client.query(`ALTER SCHEMA public OWNER TO ${quotedRole}`);
      // The role name is a checked identifier, written into the block as a literal.
      await client.query(`DO $$
DECLARE r record;
BEGIN
  FOR r IN
    SELECT c.oid::regclass::text AS name FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                       AND (d.deptype = 'e' OR (c.relkind = 'S' AND d.deptype IN ('a', 'i'))))
  LOOP
    EXECUTE format('ALTER TABLE %s OWNER TO %I', r.name, '${role}');
  END LOOP;
  FOR r IN
    SELECT p.oid::regprocedure::text AS name FROM pg_proc p
      JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname = 'public'
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
  LOOP
    EXECUTE format('ALTER ROUTINE %s OWNER TO %I', r.name, '${role}');
  END LOOP;
  FOR r IN
    SELECT t.oid::regtype::text AS name FROM pg_type t
      JOIN pg_namespace n ON n.oid = t.typnamespace
     WHERE n.nspname = 'public' AND t.typtype IN ('d', 'e', 'r') 
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
  LOOP
    EXECUTE format('ALTER TYPE %s OWNER TO %I', r.name, '${role}');
  END LOOP;
END $$`);
      await client.query("COMMIT");
    } catch (error) {
      await bestEffort("rolling back the ownership change", client.query("ROLLBACK"));
      throw error;
    }
  });
}
