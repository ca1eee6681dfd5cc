// The phases of a build, in order, and the names of everything a build owns outside Gantry's
// database (PostgreSQL role and database, containers, folders): deterministic from the build
// id, so cleanup can find them after a crash without any other record.
export const buildPhases = ["code", "image", "database", "install", "tests", "serve"] as const;
export type BuildPhaseName = (typeof buildPhases)[number];

export const buildLogFiles = [
  "pip.log",
  "install.log",
  "tests.log",
  "update.log",
  "odoo.log",
  "access.log",
  "pg_slow_queries.log",
  "webshell.log",
] as const;
export type BuildLogFile = (typeof buildLogFiles)[number];

/** Logs written while the build serves, after its phases have ended. */
export const servingLogFiles: readonly BuildLogFile[] = [
  "odoo.log",
  "access.log",
  "pg_slow_queries.log",
  "webshell.log",
];

/** What was typed and shown in the build's shell sessions: for the project's Admins only. */
export const adminOnlyLogFiles: readonly BuildLogFile[] = ["webshell.log"];

export function isBuildLogFile(name: string): name is BuildLogFile {
  return (buildLogFiles as readonly string[]).includes(name);
}

/** Prefix of every build database and role: cleanup only ever drops names under it. */
export const buildDatabasePrefix = "gantry_b_";
export const templateDatabasePrefix = "tpl_";

function safeId(buildId: string): string {
  if (!/^[a-z0-9]{1,40}$/.test(buildId)) throw new Error(`unexpected build id ${JSON.stringify(buildId)}`);
  return buildId;
}

export function buildDatabaseName(buildId: string): string {
  return `${buildDatabasePrefix}${safeId(buildId)}`;
}

export function buildContainerName(
  buildId: string,
  role: "serve" | "install" | "tests" | "update" | "tool",
): string {
  return `gantry-build-${safeId(buildId)}-${role}`;
}

/** The URL host label of a build: `<project>-<branch>-<short id>`, DNS-safe. */
export function buildSlug(projectSlug: string, branchName: string, buildId: string): string {
  const clean = (text: string) =>
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "");
  const head = `${clean(projectSlug)}-${clean(branchName)}`.slice(0, 50).replace(/-+$/g, "");
  return `${head}-${safeId(buildId).slice(-6)}`;
}

/**
 * The host label a build is served at. Production answers at the project's own name, the same
 * for every build (as Odoo.sh's `<project>.odoo.com`), so users and DNS never follow build ids;
 * staging and development builds each get their own.
 */
export function servingSlug(
  stage: "PRODUCTION" | "STAGING" | "DEVELOPMENT",
  projectSlug: string,
  branchName: string,
  buildId: string,
): string {
  if (stage !== "PRODUCTION") return buildSlug(projectSlug, branchName, buildId);
  const label = projectSlug
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 63);
  return label || buildSlug(projectSlug, branchName, buildId);
}
