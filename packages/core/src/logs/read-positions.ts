// Where each followed log was last read up to (LogReadPosition): kept in Gantry's database so
// that whichever worker runs the next cycle goes on from there, and a restart counts nothing twice.
import { prisma } from "@gantry/db";

export interface ReadPosition {
  inode: bigint;
  offset: bigint;
}

export async function readPosition(source: string): Promise<ReadPosition | null> {
  return prisma().logReadPosition.findUnique({ where: { source }, select: { inode: true, offset: true } });
}

export async function savePosition(source: string, position: ReadPosition): Promise<void> {
  await prisma().logReadPosition.upsert({
    where: { source },
    create: { source, ...position },
    update: position,
  });
}

/** Forgets positions under `prefix`, but those of `keep`, untouched since `before` (builds long gone). */
export async function forgetPositions(
  prefix: string,
  keep: readonly string[],
  before: Date,
): Promise<number> {
  const { count } = await prisma().logReadPosition.deleteMany({
    where: { source: { startsWith: prefix, notIn: [...keep] }, updatedAt: { lt: before } },
  });
  return count;
}

/** Every position under `prefix`, in one query (the collector follows one odoo.log per build). */
export async function readPositions(prefix: string): Promise<Map<string, ReadPosition>> {
  const rows = await prisma().logReadPosition.findMany({
    where: { source: { startsWith: prefix } },
    select: { source: true, inode: true, offset: true },
  });
  return new Map(rows.map((row) => [row.source, { inode: row.inode, offset: row.offset }]));
}

/** Many positions in one statement. */
export async function savePositions(positions: ReadonlyMap<string, ReadPosition>): Promise<void> {
  if (positions.size === 0) return;
  const sources = [...positions.keys()];
  const inodes = sources.map((s) => (positions.get(s) as ReadPosition).inode.toString());
  const offsets = sources.map((s) => (positions.get(s) as ReadPosition).offset.toString());
  await prisma().$executeRaw`
    INSERT INTO "LogReadPosition" (source, inode, "offset", "updatedAt")
    SELECT s, i::bigint, o::bigint, now()
      FROM unnest(${sources}::text[], ${inodes}::text[], ${offsets}::text[]) AS t(s, i, o)
    ON CONFLICT (source) DO UPDATE SET inode = EXCLUDED.inode, "offset" = EXCLUDED."offset",
      "updatedAt" = EXCLUDED."updatedAt"`;
}
