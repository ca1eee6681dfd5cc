// `manifest.json` of an Odoo backup zip, as /web/database/backup, `odoo db dump` and Odoo.sh
// write it (odoo.service.db.dump_db_manifest). Gantry's archives add their own fields on top
// (packages/backup); what Odoo reads is defined here.
import { z } from "zod";
import { isSeries, parseSeries, type Series, seriesVersionPrefix } from "./series";

export const backupManifestSchema = z.object({
  odoo_dump: z.literal("1"),
  db_name: z.string().min(1),
  /** e.g. `18.0+e-20241005` */
  version: z.string().min(1),
  /** e.g. `[18, 0, 0, "final", 0, "e"]` */
  version_info: z.array(z.union([z.string(), z.number()])).optional(),
  /** `18.0`, `saas~18.3` (release.major_version) */
  major_version: z.string().refine(isSeries, "must be an Odoo series like 18.0"),
  /** `15.0`: server_version_num / 100 split as major.minor, as Odoo writes it. */
  pg_version: z.string().min(1),
  modules: z.record(z.string(), z.string().nullable()),
});

export type BackupManifest = z.infer<typeof backupManifestSchema>;

/** Odoo's pg_version: `"%d.%d" % divmod(server_version / 100, 100)`, so 150004 -> `15.0`, 90624 -> `9.6`. */
export function pgVersionFromServerVersionNum(serverVersionNum: number): string {
  const hundreds = Math.floor(serverVersionNum / 100);
  return `${Math.floor(hundreds / 100)}.${hundreds % 100}`;
}

export interface BackupManifestInput {
  dbName: string;
  series: Series | string;
  /** Full server version; defaults to the series (`18.0`). */
  version?: string;
  /** As Odoo writes it (see pgVersionFromServerVersionNum). */
  pgVersion: string;
  /** Installed modules: name -> latest_version. */
  modules: Record<string, string | null>;
}

/** The manifest Odoo would write for a database of this series (release.py's version fields). */
export function buildBackupManifest(input: BackupManifestInput): BackupManifest {
  const series = typeof input.series === "string" ? parseSeries(input.series) : input.series;
  const major = seriesVersionPrefix(series);
  return {
    odoo_dump: "1",
    db_name: input.dbName,
    version: input.version ?? major,
    version_info: [series.saas ? `saas~${series.major}` : series.major, series.minor, 0, "final", 0, ""],
    major_version: major,
    pg_version: input.pgVersion,
    modules: input.modules,
  };
}
