/** Every container Gantry creates carries this label; cleanup never touches anything else. */
export const managedLabel = "gantry.managed";

/**
 * Images carry their own marker: containers inherit their image's labels, so an image labelled
 * `gantry.managed` would make any container started from it look like Gantry's.
 */
export const managedImageLabel = "gantry.managed-image";

/** The labels a caller may set to say what an object belongs to. */
export interface OwnerLabels {
  project?: string;
  branch?: string;
  build?: string;
}

const ownerKeys = { project: "gantry.project", branch: "gantry.branch", build: "gantry.build" } as const;

/** Label keys live under `gantry.`; values are free text but single-line. */
const labelKeyPattern = /^gantry\.[a-z0-9][a-z0-9_.-]*$/;

export class InvalidLabelError extends Error {
  override readonly name = "InvalidLabelError";
}

function checkValue(key: string, value: string): void {
  if (/[\r\n\0]/.test(value)) throw new InvalidLabelError(`label ${key} must be a single line`);
}

/**
 * The full label set of a managed object: the owner labels that are known, extra `gantry.*`
 * labels, and always `gantry.managed=true` (which the caller cannot override).
 */
export function buildLabels(
  owner: OwnerLabels = {},
  extra: Record<string, string> = {},
): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(extra)) {
    if (!labelKeyPattern.test(key))
      throw new InvalidLabelError(`label key ${JSON.stringify(key)} must match gantry.*`);
    checkValue(key, value);
    labels[key] = value;
  }
  for (const [field, key] of Object.entries(ownerKeys) as [keyof OwnerLabels, string][]) {
    const value = owner[field];
    if (value === undefined) continue;
    checkValue(key, value);
    labels[key] = value;
  }
  labels[managedLabel] = "true";
  return labels;
}

/** The labels of an image Gantry builds: like `buildLabels`, with the image marker instead. */
export function buildImageLabels(
  owner: OwnerLabels = {},
  extra: Record<string, string> = {},
): Record<string, string> {
  const { [managedLabel]: _container, ...rest } = buildLabels(owner, extra);
  return { ...rest, [managedImageLabel]: "true" };
}

/**
 * Docker `label` filters for a lookup: always restricted to managed objects, then narrowed
 * by the given owner labels.
 */
export function managedFilters(owner: OwnerLabels = {}): string[] {
  return Object.entries(buildLabels(owner)).map(([key, value]) => `${key}=${value}`);
}
