// Production of an upgrade trial's project as the checks read it: the acme16 fixture's records
// and files summed as they are, or as the upgrade to 18.0 leaves them, and the series it is on
// (branch, serving build's image). A production upgrade trial accepts one or the other whole.
import { join } from "node:path";
import { FROM_SERIES, TO_SERIES, type UpgradeProject } from "./upgrade-project";

/** The acme16 fixture's records, summed as they are, or as the upgrade to 18.0 leaves them. */
function legacyChecksum(upgraded: boolean): string {
  const name = upgraded ? `name || ' (${TO_SERIES})'` : "name";
  const amount = upgraded ? "amount * 2" : "amount";
  return `SELECT count(*)::int AS n, md5(string_agg(id || ':' || ${name} || ':' || coalesce((${amount})::text, ''), ',' ORDER BY id)) AS sum FROM acme_legacy`;
}

/**
 * Production's data, and what it must be after the upgrade: the fixture's 18.0 migration and
 * upgrade script rename every record and double its amount; the files stay as they are.
 */
export async function upgradeChecksums(subject: UpgradeProject): Promise<{ now: string; upgraded: string }> {
  const { productionChecksum } = await import("./production");
  const files = await productionFiles(subject);
  return {
    now: `${await productionChecksum(subject, legacyChecksum(false))}, ${files}`,
    upgraded: `${await productionChecksum(subject, legacyChecksum(true))}, ${files}`,
  };
}

async function productionFiles(subject: UpgradeProject): Promise<string> {
  const { productionDatabaseName } = await import("../../../apps/worker/src/builds/stages/production-names");
  const { filestoreHash } = await import("../../../apps/worker/src/upgrades/fingerprint");
  const { config } = await import("@gantry/config");
  const branch = subject.branches.production;
  const dir = join(
    config().GANTRY_DATA_DIR,
    "production",
    branch,
    "data",
    "filestore",
    productionDatabaseName(branch),
  );
  const files = await filestoreHash(dir);
  return `${files.files} files, sha256 ${files.hash.slice(0, 16)}`;
}

/** Problems with production's series: `series` whole (branch, serving build, its image), none if so. */
export async function productionOnSeries(subject: UpgradeProject, series: string): Promise<string[]> {
  const { prisma } = await import("@gantry/db");
  const { DockerRuntime } = await import("../../../packages/runtime/src/index");
  const { imageOf } = await import("../../../packages/core/src/index");
  const branch = await prisma().branch.findUniqueOrThrow({ where: { id: subject.branches.production } });
  const serving = await prisma().build.findFirst({
    where: { branchId: subject.branches.production, servingAt: { not: null }, cleanedAt: null },
    orderBy: { servingAt: "desc" },
  });
  const problems: string[] = [];
  if ((branch.odooSeries ?? FROM_SERIES) !== series)
    problems.push(`the branch is on ${branch.odooSeries ?? FROM_SERIES}, not ${series}`);
  if (!serving?.containerName) return [...problems, "no serving build with a container"];
  const state = await new DockerRuntime().inspect(serving.containerName).catch(() => undefined);
  if (state?.image !== imageOf(series))
    problems.push(`${serving.containerName} runs ${state?.image ?? "nothing"}, not ${imageOf(series)}`);
  return problems;
}
