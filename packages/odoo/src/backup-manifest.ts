// `manifest.json` of an Odoo backup zip (what /web/database/backup, `odoo db dump` and
// Odoo.sh write; odoo.service.db.dump_db_manifest), and whether a dump fits a target series.
import { z } from "zod";
import { compareSeries, parseSeries, type Series, seriesName, seriesVersionPrefix } from "./series";

export const backupManifestSchema = z.looseObject({
  odoo_dump: z.literal("1"),
  db_name: z.string().min(1).max(63),
  /** e.g. `18.0+e-20241005` */
  version: z.string().min(1),
  /** e.g. `[18, 0, 0, "final", 0, "e"]` */
  version_info: z.array(z.union([z.string(), z.number()])).min(2),
  /** `18.0`, `saas~18.3` */
  major_version: z.string().refine((value) => {
    try {
      parseSeries(value);
      return true;
    } catch {
      return false;
    }
  }, "not an Odoo series"),
  /** `15.0`: server_version_num / 100 split as major.minor, as Odoo writes it. */
  pg_version: z.string().regex(/^\d+\.\d+$/),
  modules: z.record(z.string(), z.string().nullable()),
});

export type BackupManifest = z.infer<typeof backupManifestSchema>;

export class BackupManifestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BackupManifestError";
  }
}

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
  versionInfo?: (string | number)[];
  /** PostgreSQL `server_version_num`. */
  pgServerVersionNum: number;
  /** Installed modules: name -> latest_version. */
  modules: Record<string, string | null>;
}

export function buildBackupManifest(input: BackupManifestInput): BackupManifest {
  const series = typeof input.series === "string" ? parseSeries(input.series) : input.series;
  const major = seriesVersionPrefix(series);
  const versionInfo = input.versionInfo ?? [
    series.saas ? `saas~${series.major}` : series.major,
    series.minor,
    0,
    "final",
    0,
    "",
  ];
  return backupManifestSchema.parse({
    odoo_dump: "1",
    db_name: input.dbName,
    version: input.version ?? major,
    version_info: versionInfo,
    major_version: major,
    pg_version: pgVersionFromServerVersionNum(input.pgServerVersionNum),
    modules: Object.fromEntries(
      Object.entries(input.modules).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    ),
  });
}

export function parseBackupManifest(text: string): BackupManifest {
  if (text.length > 16 * 1024 * 1024) throw new BackupManifestError("manifest.json larger than 16 MiB");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new BackupManifestError(`manifest.json is not JSON: ${(error as Error).message}`);
  }
  const parsed = backupManifestSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`,
    );
    throw new BackupManifestError(`invalid manifest.json: ${issues.join("; ")}`);
  }
  return parsed.data;
}

export type RestoreCompatibility =
  | { kind: "same"; dumpSeries: string; targetSeries: string }
  /** Restorable only through an upgrade to the target series. */
  | { kind: "older"; dumpSeries: string; targetSeries: string }
  /** Refused: Odoo never downgrades a database. */
  | { kind: "newer"; dumpSeries: string; targetSeries: string };

export function restoreCompatibility(
  manifest: Pick<BackupManifest, "major_version">,
  target: Series | string,
): RestoreCompatibility {
  const dumpSeries = seriesName(manifest.major_version);
  const targetSeries = seriesName(target);
  const order = compareSeries(dumpSeries, targetSeries);
  if (order === 0) return { kind: "same", dumpSeries, targetSeries };
  return { kind: order < 0 ? "older" : "newer", dumpSeries, targetSeries };
}

/** Throws when the dump cannot be restored on the target as is, with what to do instead. */
export function assertRestorable(
  manifest: Pick<BackupManifest, "major_version">,
  target: Series | string,
): void {
  const check = restoreCompatibility(manifest, target);
  if (check.kind === "newer") {
    throw new BackupManifestError(
      `this dump is from Odoo ${check.dumpSeries}, newer than the target ${check.targetSeries}: a database cannot be downgraded`,
    );
  }
  if (check.kind === "older") {
    throw new BackupManifestError(
      `this dump is from Odoo ${check.dumpSeries}, older than the target ${check.targetSeries}: restore it on ${check.dumpSeries} and upgrade it`,
    );
  }
}
