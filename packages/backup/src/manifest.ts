import { backupManifestSchema, pgVersionFromServerVersionNum } from "@gantry/odoo";
import type pg from "pg";
import { z } from "zod";

/**
 * manifest.json as Odoo writes it (packages/odoo's backupManifestSchema), plus an optional
 * `gantry` object that Odoo ignores: the source's exact row counts and the filestore's checksums, taken at dump time,
 * which `verifyBackup` compares a restored copy against.
 */
export const gantryManifestSchema = z.object({
  format: z.literal(1),
  created_at: z.string(),
  /** Exact rows per `schema.table`, counted in the snapshot pg_dump used. */
  row_counts: z.record(z.string(), z.number().int().nonnegative()),
  filestore: z
    .object({
      files: z.number().int().nonnegative(),
      bytes: z.number().int().nonnegative(),
      /** path under filestore/ -> sha256 hex */
      sha256: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/)),
    })
    .nullable(),
});

/** Odoo's manifest.json with Gantry's own object beside Odoo's fields. */
export const manifestSchema = backupManifestSchema.extend({ gantry: gantryManifestSchema.optional() });

export type Manifest = z.infer<typeof manifestSchema>;
export type GantryManifest = z.infer<typeof gantryManifestSchema>;

/** Installed modules and their versions, as Odoo's dump reads them. */
export async function readModules(client: pg.Client): Promise<Record<string, string | null>> {
  const { rows } = await client.query<{ name: string; latest_version: string | null }>(
    "SELECT name, latest_version FROM ir_module_module WHERE state = 'installed' ORDER BY name",
  );
  return Object.fromEntries(rows.map((r) => [r.name, r.latest_version]));
}

/** "15.0" for a 15.x server, the way Odoo writes pg_version. */
export async function readPgVersion(client: pg.Client): Promise<string> {
  const { rows } = await client.query<{ v: string }>("SELECT current_setting('server_version_num') AS v");
  return pgVersionFromServerVersionNum(Number(rows[0]!.v));
}
