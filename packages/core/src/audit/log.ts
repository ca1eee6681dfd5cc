import { type Prisma, prisma } from "@gantry/db";
import type { AuditAction } from "./actions";

export interface AuditEntry {
  action: AuditAction;
  projectId?: string | null;
  userId?: string | null;
  target?: string | null;
  data?: Record<string, unknown>;
  ip?: string | null;
}

type Db = Pick<Prisma.TransactionClient, "auditEvent">;

/** Writes one audit row; inside a transaction when given one, so it lands with the change. */
export async function recordAudit(entry: AuditEntry, db: Db = prisma()): Promise<void> {
  await db.auditEvent.create({
    data: {
      action: entry.action,
      projectId: entry.projectId ?? null,
      userId: entry.userId ?? null,
      target: entry.target ?? null,
      data: (entry.data ?? {}) as Prisma.InputJsonValue,
      ip: entry.ip ?? null,
    },
  });
}

export interface AuditFilter {
  action?: string;
  userId?: string;
  since?: Date;
  until?: Date;
  limit?: number;
}

export interface AuditRow {
  id: string;
  action: string;
  target: string | null;
  data: unknown;
  ip: string | null;
  createdAt: Date;
  user: { id: string; email: string; name: string } | null;
}

/** A project's audit log, newest first. The caller checks access (project_settings). */
export async function listAudit(projectId: string, filter: AuditFilter = {}): Promise<AuditRow[]> {
  return prisma().auditEvent.findMany({
    where: {
      projectId,
      ...(filter.action
        ? { action: filter.action.endsWith(".") ? { startsWith: filter.action } : filter.action }
        : {}),
      ...(filter.userId ? { userId: filter.userId } : {}),
      ...(filter.since || filter.until ? { createdAt: { gte: filter.since, lte: filter.until } } : {}),
    },
    orderBy: { createdAt: "desc" },
    take: Math.min(filter.limit ?? 100, 500),
    select: {
      id: true,
      action: true,
      target: true,
      data: true,
      ip: true,
      createdAt: true,
      user: { select: { id: true, email: true, name: true } },
    },
  });
}
