// What a kept database needs from new code: the modules whose manifest version went up
// compared to the version installed (`ir_module_module.latest_version`), as Odoo.sh decides
// on production, or whose files changed (a setting); and whether requirements.txt changed since
// the build that served before.
import { type DbServerConnection, phaseOutput } from "@gantry/core";
import { diffModuleVersions } from "@gantry/odoo";
import { withAdmin } from "@gantry/postgres";
import { z } from "zod";
import type { CodeResult } from "../shared/code";

/**
 * Modules of a database in the given states: name -> installed version. Read as the
 * administrator, so only from an ordinary table: a view put in its place by the modules would
 * run its functions with the administrator's rights. The connection's session settings keep
 * the tenant's search_path and row policies out (packages/postgres).
 */
async function modulesIn(
  server: DbServerConnection,
  database: string,
  states: readonly string[],
): Promise<Map<string, string>> {
  return withAdmin(server, database, async (client) => {
    const kind = await client.query<{ relkind: string }>(
      "SELECT c.relkind FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relname = 'ir_module_module'",
    );
    if (kind.rows[0]?.relkind !== "r")
      throw new Error(`${database}: public.ir_module_module is not an ordinary table; not read`);
    const rows = await client.query<{ name: string; latest_version: string | null }>(
      "SELECT m.name, m.latest_version FROM public.ir_module_module m WHERE m.state OPERATOR(pg_catalog.=) ANY ($1::pg_catalog.text[]) ORDER BY m.name",
      [states],
    );
    return new Map(rows.rows.map((row) => [row.name, row.latest_version ?? "0.0"]));
  });
}

/** Installed modules of a database (the build's role may not exist yet): name -> version. */
export function installedModules(server: DbServerConnection, database: string): Promise<Map<string, string>> {
  return modulesIn(server, database, ["installed", "to upgrade"]);
}

/**
 * Modules Odoo found in its addons path and did not install: Odoo lists every module it sees in
 * `ir_module_module` (state `uninstalled`; `uninstallable` for those it cannot install).
 */
export async function uninstalledModules(server: DbServerConnection, database: string): Promise<string[]> {
  return [...(await modulesIn(server, database, ["uninstalled"])).keys()];
}

export interface ModuleUpdatePlan {
  /** Installed checkout modules whose manifest version went up: what `-u` gets. */
  upgraded: string[];
  /** Checkout modules not installed in the database (never installed automatically here). */
  notInstalled: string[];
  /** Version went down: suspicious, never updated automatically. */
  downgraded: string[];
  invalid: { module: string; error: string }[];
}

export function planModuleUpdate(
  installed: ReadonlyMap<string, string>,
  code: Pick<CodeResult, "discovery">,
  series: string,
): ModuleUpdatePlan {
  const checkout = new Map<string, string>();
  for (const module of code.discovery.modules) {
    if (module.manifest.installable !== false) checkout.set(module.name, module.manifest.version);
  }
  const before = new Map([...installed].filter(([name]) => checkout.has(name)));
  const changes = diffModuleVersions(before, checkout, series);
  return {
    upgraded: changes.upgraded,
    notInstalled: changes.added,
    downgraded: changes.downgraded,
    invalid: changes.invalid,
  };
}

/** The requirement lines recorded by a build's image phase (empty when it had none). */
export async function requirementsOf(buildId: string): Promise<string[] | null> {
  const { requirements } = await phaseOutput(buildId, "image");
  return Array.isArray(requirements) ? requirements.map(String) : null;
}

export function sameRequirements(a: readonly string[] | null, b: readonly string[]): boolean {
  if (a === null) return b.length === 0;
  const left = [...a].sort();
  const right = [...b].sort();
  return left.length === right.length && left.every((line, i) => line === right[i]);
}

const checksumRecord = z.record(z.string(), z.string());

/** A build's recorded checksums (Build.moduleChecksums), or null when it recorded none. */
export function recordedChecksums(value: unknown): Record<string, string> | null {
  const parsed = checksumRecord.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/**
 * The checksums a database's modules were last installed or updated from, once this build
 * is done: `updated` modules (or all, "all") and those never recorded take their files now;
 * the others keep what was recorded, so a change skipped today is still seen tomorrow.
 */
export function checksumsAfter(
  installed: Iterable<string>,
  now: Readonly<Record<string, string>>,
  recorded: Readonly<Record<string, string>> | null,
  updated: readonly string[] | "all",
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const name of installed) {
    const current = now[name];
    if (current === undefined) continue;
    const fresh = updated === "all" || updated.includes(name) || recorded?.[name] === undefined;
    result[name] = fresh ? current : (recorded?.[name] as string);
  }
  return result;
}

/** Why each module is updated, in words for the build page. */
export function updateReasons(
  plan: Pick<ModuleUpdatePlan, "upgraded">,
  changed: readonly string[],
  installed: ReadonlyMap<string, string>,
  code: Pick<CodeResult, "discovery">,
): Record<string, string> {
  const versions = new Map(code.discovery.modules.map((m) => [m.name, m.manifest.version]));
  const reasons: Record<string, string> = {};
  for (const name of plan.upgraded) reasons[name] = `version ${installed.get(name)} -> ${versions.get(name)}`;
  for (const name of changed) reasons[name] ??= "files changed, same version";
  return reasons;
}
