// Odoo series: major releases (16.0, 17.0, 18.0, ...) and the SaaS releases between them
// (saas-18.1 ... saas-18.4). Branch and image tags spell them `saas-18.3`; Odoo itself
// (release.major_version, the manifest version prefix, backup manifests) spells `saas~18.3`.

export interface Series {
  major: number;
  minor: number;
  saas: boolean;
}

export class SeriesError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SeriesError";
  }
}

/** The series a platform is expected to meet, oldest first. */
export const KNOWN_SERIES = [
  "16.0",
  "saas-16.1",
  "saas-16.2",
  "saas-16.3",
  "saas-16.4",
  "17.0",
  "saas-17.1",
  "saas-17.2",
  "saas-17.3",
  "saas-17.4",
  "18.0",
  "saas-18.1",
  "saas-18.2",
  "saas-18.3",
  "saas-18.4",
  "19.0",
] as const;

/** Major series (the ones official `odoo:<series>` images and Odoo.sh offer). */
export const MAJOR_SERIES = KNOWN_SERIES.filter((name) => !name.startsWith("saas"));

export function parseSeries(text: string): Series {
  const major = /^(\d{1,3})\.0$/.exec(text);
  if (major) return { major: Number(major[1]), minor: 0, saas: false };
  const saas = /^saas[-~](\d{1,3})\.([1-9]\d?)$/.exec(text);
  if (saas) return { major: Number(saas[1]), minor: Number(saas[2]), saas: true };
  throw new SeriesError(`not an Odoo series: ${JSON.stringify(text)} (expected e.g. 18.0 or saas-18.3)`);
}

export function isSeries(text: string): boolean {
  try {
    parseSeries(text);
    return true;
  } catch {
    return false;
  }
}

/** The platform spelling: `18.0`, `saas-18.3`. */
export function seriesName(series: Series | string): string {
  const s = typeof series === "string" ? parseSeries(series) : series;
  return s.saas ? `saas-${s.major}.${s.minor}` : `${s.major}.0`;
}

/** Odoo's own spelling (release.major_version): `18.0`, `saas~18.3`. */
export function seriesVersionPrefix(series: Series | string): string {
  const s = typeof series === "string" ? parseSeries(series) : series;
  return s.saas ? `saas~${s.major}.${s.minor}` : `${s.major}.0`;
}

/** Negative when a is older than b, zero when equal, positive when newer. */
export function compareSeries(a: Series | string, b: Series | string): number {
  const x = typeof a === "string" ? parseSeries(a) : a;
  const y = typeof b === "string" ? parseSeries(b) : b;
  return x.major - y.major || x.minor - y.minor;
}

export function sortSeries(names: readonly string[]): string[] {
  return [...names].sort(compareSeries);
}

/** From saas-18.3 on, demo data is off by default and `--with-demo` turns it on. */
export function demoOffByDefault(series: Series | string): boolean {
  return compareSeries(series, { major: 18, minor: 3, saas: true }) >= 0;
}

/**
 * The series a module's stored version starts with (`18.0.1.3`, `saas~18.2.1.0`: Odoo prefixes
 * every installed version with it); undefined when the version carries none.
 */
export function seriesOfModuleVersion(version: string): Series | undefined {
  const prefix = /^((?:saas~)?\d{1,3}\.\d+)\.\d/.exec(version)?.[1];
  return prefix && isSeries(prefix) ? parseSeries(prefix) : undefined;
}
