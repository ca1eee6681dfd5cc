import type pg from "pg";
import { z } from "zod";
import { parseSeries } from "./series";

/**
 * manifest.json as Odoo writes it (`odoo_dump`, `db_name`, `version`, `version_info`,
 * `major_version`, `pg_version`, `modules`), plus an optional `gantry` object that Odoo
 * ignores: the source's exact row counts and the filestore's checksums, taken at dump time,
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

export const manifestSchema = z.object({
  odoo_dump: z.literal("1"),
  db_name: z.string().min(1),
  version: z.string().min(1),
  version_info: z.array(z.union([z.string(), z.number()])).optional(),
  major_version: z.string().refine((v) => parseSeries(v) !== undefined, "must be an Odoo series like 18.0"),
  pg_version: z.string().min(1),
  modules: z.record(z.string(), z.string().nullable()),
  gantry: gantryManifestSchema.optional(),
});

export type Manifest = z.infer<typeof manifestSchema>;
export type GantryManifest = z.infer<typeof gantryManifestSchema>;

export interface OdooVersion {
  version: string;
  version_info: (string | number)[];
  major_version: string;
}

/** Odoo's own version fields, derived from the installed `base` module when not given. */
export function odooVersionFromBase(baseVersion: string | undefined): OdooVersion {
  const saas = /^saas~(\d+)\.(\d+)/.exec(baseVersion ?? "");
  if (saas) {
    const major = `saas~${saas[1]}.${saas[2]}`;
    return {
      version: major,
      version_info: [Number(saas[1]), Number(saas[2]), 0, "final", 0, ""],
      major_version: major,
    };
  }
  const parsed = parseSeries(baseVersion ?? "");
  if (!parsed)
    throw new Error(`cannot tell the Odoo series from base version ${JSON.stringify(baseVersion)}`);
  const major = `${parsed[0]}.${parsed[1]}`;
  return { version: major, version_info: [parsed[0], parsed[1], 0, "final", 0, ""], major_version: major };
}

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
  const num = Number(rows[0]!.v);
  return num >= 100000
    ? `${Math.floor(num / 10000)}.0`
    : `${Math.floor(num / 10000)}.${Math.floor(num / 100) % 100}`;
}
