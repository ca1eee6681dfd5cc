// The registry of database servers as platform administrators see and change it: never the
// administrator's password, and the pool each server's stages build on.
import { type Prisma, prisma } from "@gantry/db";
import { type Actor, assertCan, type Stage } from "../access";
import { recordAudit } from "../audit/log";
import { AppError } from "../errors";
import { ensureDefaultDbServers } from "./index";
import { poolName, poolOf } from "./pool";

export interface DbServerView {
  id: string;
  name: string;
  host: string;
  port: number;
  adminUser: string;
  defaultStages: Stage[];
  /** Its own pool; null: each stage's. */
  pool: string | null;
  /** Where the builds of each stage it serves by default run. */
  stagePools: { stage: Stage; pool: string }[];
  projectCount: number;
}

const fields = {
  id: true,
  name: true,
  host: true,
  port: true,
  adminUser: true,
  defaultStages: true,
  pool: true,
  _count: { select: { projects: true } },
} as const;

type Row = Prisma.DbServerGetPayload<{ select: typeof fields }>;

function view({ _count, ...row }: Row): DbServerView {
  return {
    ...row,
    stagePools: row.defaultStages.map((stage) => ({ stage, pool: poolOf(row, stage) })),
    projectCount: _count.projects,
  };
}

export async function listDbServerViews(actor: Actor): Promise<DbServerView[]> {
  assertCan(actor, "servers.manage");
  await ensureDefaultDbServers();
  const rows = await prisma().dbServer.findMany({ select: fields, orderBy: { createdAt: "asc" } });
  return rows.map(view);
}

/** Names the pool the server's stages build on from the next build on; null: each stage's own. */
export async function setDbServerPool(actor: Actor, id: string, pool: string | null): Promise<DbServerView> {
  assertCan(actor, "servers.manage");
  const parsed = pool === null ? null : poolName.safeParse(pool);
  if (parsed && !parsed.success) {
    throw new AppError("invalid_input", `invalid pool name: ${parsed.error.issues[0]?.message ?? "refused"}`);
  }
  return prisma().$transaction(async (tx) => {
    const before = await tx.dbServer.findUnique({ where: { id }, select: { pool: true } });
    if (!before) throw new AppError("not_found", `database server ${id} not found`);
    const row = await tx.dbServer.update({ where: { id }, data: { pool }, select: fields });
    await recordAudit(
      {
        action: "db_server.pool_changed",
        userId: actor.userId,
        target: id,
        data: { from: before.pool, to: pool },
      },
      tx,
    );
    return view(row);
  });
}
