// Module versions as Odoo handles them (odoo.modules.module.adapt_version): a manifest says
// `x.y`, `x.y.z` or `<series>.x.y[.z]`; Odoo stores the series-prefixed form.
import { parseSeries, type Series, seriesVersionPrefix } from "./series";

export class VersionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "VersionError";
  }
}

const BASE_VERSION = /^[0-9]+\.[0-9]+(?:\.[0-9]+)?$/;

/**
 * The full, series-prefixed version (`1.0` on 17.0 -> `17.0.1.0`), or a VersionError with
 * Odoo's own wording when the manifest version is not valid for the series.
 */
export function normalizeVersion(version: string, series: Series | string): string {
  const prefix = seriesVersionPrefix(typeof series === "string" ? parseSeries(series) : series);
  let base: string;
  let full: string;
  // Same rule as Odoo: only `<series>.` counts as a prefix; `18.0` alone is a base version.
  if (version === prefix || !version.startsWith(`${prefix}.`)) {
    base = version;
    full = `${prefix}.${version}`;
  } else {
    base = version.slice(prefix.length + 1);
    full = version;
  }
  if (!BASE_VERSION.test(base)) {
    throw new VersionError(
      `Invalid version ${JSON.stringify(version)}. Modules should have a version in format \`x.y\`, \`x.y.z\`, \`${prefix}.x.y\` or \`${prefix}.x.y.z\`.`,
    );
  }
  return full;
}

export function isValidVersion(version: string, series: Series | string): boolean {
  try {
    normalizeVersion(version, series);
    return true;
  } catch (error) {
    if (error instanceof VersionError) return false;
    throw error;
  }
}

function numericParts(version: string): number[] {
  // saas~18.3.1.0 orders as 18.3.1.0: after every 18.0.x and before 19.0.x.
  const text = version.startsWith("saas~") ? version.slice(5) : version;
  const parts = text.split(".");
  if (parts.length === 0 || parts.some((part) => !/^\d{1,9}$/.test(part))) {
    throw new VersionError(
      `cannot compare version ${JSON.stringify(version)}: only numeric parts are supported`,
    );
  }
  const numbers = parts.map(Number);
  // parse_version drops trailing zeros: 17.0.1.0 equals 17.0.1.0.0.
  while (numbers.length > 1 && numbers[numbers.length - 1] === 0) numbers.pop();
  return numbers;
}

/** Compares two full versions the way Odoo's parse_version orders numeric versions. */
export function compareVersions(a: string, b: string): number {
  const x = numericParts(a);
  const y = numericParts(b);
  for (let i = 0; i < Math.max(x.length, y.length); i += 1) {
    const diff = (x[i] ?? 0) - (y[i] ?? 0);
    if (diff !== 0) return Math.sign(diff);
  }
  return 0;
}

/** Did the module version go up between two manifests (both normalised for the series)? */
export function versionWentUp(before: string, after: string, series: Series | string): boolean {
  return compareVersions(normalizeVersion(after, series), normalizeVersion(before, series)) > 0;
}

export interface VersionChanges {
  /** Version went up: these need `-u` on production. */
  upgraded: string[];
  /** New modules (not in the previous code). */
  added: string[];
  removed: string[];
  /** Version went down: suspicious, never updated automatically. */
  downgraded: string[];
  /** Manifest versions not valid for the series, with the reason. */
  invalid: { module: string; error: string }[];
}

/** Compares the manifest versions of two revisions of the code: module name -> manifest version. */
export function diffModuleVersions(
  before: ReadonlyMap<string, string> | Record<string, string>,
  after: ReadonlyMap<string, string> | Record<string, string>,
  series: Series | string,
): VersionChanges {
  const from = before instanceof Map ? before : new Map(Object.entries(before));
  const to = after instanceof Map ? after : new Map(Object.entries(after));
  const changes: VersionChanges = { upgraded: [], added: [], removed: [], downgraded: [], invalid: [] };
  for (const [module, version] of to) {
    let full: string;
    try {
      full = normalizeVersion(version, series);
    } catch (error) {
      changes.invalid.push({ module, error: (error as Error).message });
      continue;
    }
    const old = from.get(module);
    if (old === undefined) {
      changes.added.push(module);
      continue;
    }
    let oldFull: string;
    try {
      oldFull = normalizeVersion(old, series);
    } catch {
      // The previous version was invalid for this series (e.g. just ported): treat as an upgrade.
      changes.upgraded.push(module);
      continue;
    }
    const order = compareVersions(full, oldFull);
    if (order > 0) changes.upgraded.push(module);
    else if (order < 0) changes.downgraded.push(module);
  }
  for (const module of from.keys()) if (!to.has(module)) changes.removed.push(module);
  for (const list of [changes.upgraded, changes.added, changes.removed, changes.downgraded]) list.sort();
  return changes;
}
