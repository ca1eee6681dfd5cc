// Moving a branch between stages (Admins). The project row is locked for the check and the
// update, so two concurrent moves cannot both take the last staging slot or production.
import { prisma } from "@gantry/db";
import { z } from "zod";
import { type Actor, assertCan, type Stage, stages } from "../access";
import { recordAudit } from "../audit";
import { AppError } from "../errors";
import { checkMove, onNewCommitAfterMove } from "./rules";

export const moveInput = z.object({ stage: z.enum(stages) });

export interface MovedBranch {
  id: string;
  name: string;
  stage: Stage;
  onNewCommit: string;
}

export async function moveBranch(
  actor: Actor,
  projectId: string,
  branchId: string,
  input: z.input<typeof moveInput>,
  ip?: string,
): Promise<MovedBranch> {
  assertCan(actor, "project_settings", { projectId });
  const { stage: to } = moveInput.parse(input);
  return prisma().$transaction(async (tx) => {
    const locked = await tx.$queryRaw<Array<{ stagingLimit: number }>>`
      SELECT "stagingLimit" FROM "Project" WHERE id = ${projectId} FOR UPDATE`;
    if (locked.length === 0) throw new AppError("not_found", "No such project");
    const branch = await tx.branch.findFirst({ where: { id: branchId, projectId, deletedAt: null } });
    if (!branch) throw new AppError("not_found", "No such branch");
    const live = { projectId, deletedAt: null, id: { not: branch.id } };
    const [production, staging] = await Promise.all([
      tx.branch.count({ where: { ...live, stage: "PRODUCTION" } }),
      tx.branch.count({ where: { ...live, stage: "STAGING" } }),
    ]);
    const check = checkMove(branch.stage, to, { production, staging }, locked[0]!.stagingLimit);
    if (!check.ok) throw new AppError("conflict", check.message, { details: { reason: check.code } });
    const onNewCommit = onNewCommitAfterMove(branch.stage, to);
    // Compare-and-set on the stage read above.
    const updated = await tx.branch.updateMany({
      where: { id: branch.id, stage: branch.stage },
      data: { stage: to, onNewCommit },
    });
    if (updated.count !== 1) throw new AppError("conflict", "The branch was moved meanwhile; reload");
    await recordAudit(
      {
        action: "branch.stage_changed",
        projectId,
        userId: actor.userId,
        target: branch.id,
        ip,
        data: { name: branch.name, from: branch.stage, to },
      },
      tx,
    );
    return { id: branch.id, name: branch.name, stage: to, onNewCommit };
  });
}
