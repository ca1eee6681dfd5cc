// A project's serving builds whose node the cluster lost (Build.nodeLostAt, set and cleared by
// the worker's check): the project page says so above everything else.
import { prisma } from "@gantry/db";
import { type Actor, assertCan } from "../access";
import { servingFilter } from "./serving";

export interface LostNodeBuild {
  id: string;
  stage: string;
  branchId: string;
  branch: string;
  servingAt: Date | null;
  cleanedAt: Date | null;
  servingNode: string | null;
  nodeLostAt: Date | null;
}

/** By stage (production first: the enum's order), then by branch name. */
export async function buildsOnLostNodes(actor: Actor, projectId: string): Promise<LostNodeBuild[]> {
  assertCan(actor, "status", { projectId });
  const rows = await prisma().build.findMany({
    where: { projectId, ...servingFilter, nodeLostAt: { not: null } },
    select: {
      id: true,
      stage: true,
      branchId: true,
      servingAt: true,
      cleanedAt: true,
      servingNode: true,
      nodeLostAt: true,
      branch: { select: { name: true } },
    },
    orderBy: [{ stage: "asc" }, { branch: { name: "asc" } }],
  });
  return rows.map(({ branch, ...row }) => ({ ...row, branch: branch.name }));
}
