// Production as its users see it: the serving build answers its login page, and its data (the
// fixture's records, summed) is what it was before the fault.
import pg from "pg";
import { PROD_CLUSTER } from "../../../tests/support/clusters";
import type { FaultProject } from "./platform";

/** The records a project's fixture keeps, summed by one query on production's database. */
export type ChecksumSql = string;

/** The acme17 fixture's projects (the platform's project). */
export const acmeProjectChecksum: ChecksumSql =
  "SELECT count(*)::int AS n, md5(string_agg(id || ':' || name || ':' || coalesce(budget::text, ''), ',' ORDER BY id)) AS sum FROM acme_project";

export async function productionChecksum(
  project: FaultProject,
  sql: ChecksumSql = acmeProjectChecksum,
): Promise<string> {
  const { productionDatabaseName } = await import("../../../apps/worker/src/builds/stages/production-names");
  const client = new pg.Client({
    ...PROD_CLUSTER,
    database: productionDatabaseName(project.branches.production),
  });
  await client.connect();
  try {
    const row = (await client.query<{ n: number; sum: string }>(sql)).rows[0];
    return `${row?.n} rows, md5 ${row?.sum}`;
  } finally {
    await client.end();
  }
}

/** Problems with production's serving, none when its build serves and answers. */
export async function productionServes(project: FaultProject): Promise<string[]> {
  const { prisma } = await import("@gantry/db");
  const serving = await prisma().build.findMany({
    where: { branchId: project.branches.production, servingAt: { not: null }, cleanedAt: null },
  });
  if (serving.length !== 1)
    return [`${serving.length} production builds serving (${serving.map((b) => b.id)})`];
  const build = serving[0]!;
  try {
    const response = await fetch(`http://127.0.0.1:${build.httpPort}/web/login`);
    await response.text();
    return response.status === 200 ? [] : [`production's login page answered ${response.status}`];
  } catch (error) {
    return [`production's login page did not answer: ${(error as Error).message}`];
  }
}
