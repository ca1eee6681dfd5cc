// What happened to a branch while its build was measured, read from the tables that already
// record it: builds starting to serve (deploys), restores and imports, upgrades, and the
// build's idle sleeps and wakes (audit log). The Monitor draws each as a marked line.
import { prisma } from "@gantry/db";

export type AnnotationKind = "deploy" | "restore" | "import" | "upgrade" | "sleep" | "wake";

export interface Annotation {
  at: Date;
  kind: AnnotationKind;
  label: string;
}

export async function annotationsOf(
  build: { id: string; branchId: string },
  from: Date,
  to: Date,
): Promise<Annotation[]> {
  const within = { gte: from, lte: to };
  const [deploys, restores, upgrades, power] = await Promise.all([
    prisma().build.findMany({
      where: { branchId: build.branchId, servingAt: within },
      select: { id: true, servingAt: true, commitSha: true },
    }),
    prisma().backupRestore.findMany({
      where: { branchId: build.branchId, status: "DONE", finishedAt: within },
      select: { finishedAt: true, backup: { select: { kind: true } } },
    }),
    prisma().upgradeAttempt.findMany({
      where: { branchId: build.branchId, status: { in: ["SUCCEEDED", "FAILED"] }, finishedAt: within },
      select: { finishedAt: true, toSeries: true, status: true, kind: true },
    }),
    prisma().auditEvent.findMany({
      where: { action: { in: ["build.slept", "build.woke"] }, target: build.id, createdAt: within },
      select: { action: true, createdAt: true },
    }),
  ]);
  const found: Annotation[] = [
    ...deploys.map((d) => ({
      at: d.servingAt as Date,
      kind: "deploy" as const,
      label: `${d.id === build.id ? "deployed" : "next deploy"} ${d.commitSha.slice(0, 7)}`,
    })),
    ...restores.map((r) => {
      const kind = r.backup?.kind === "IMPORT" ? ("import" as const) : ("restore" as const);
      return { at: r.finishedAt as Date, kind, label: kind === "import" ? "imported" : "restored" };
    }),
    ...upgrades.map((u) => ({
      at: u.finishedAt as Date,
      kind: "upgrade" as const,
      label: `${u.kind === "REHEARSAL" ? "test upgrade" : "upgrade"} to ${u.toSeries}${u.status === "FAILED" ? " failed" : ""}`,
    })),
    ...power.map((p) =>
      p.action === "build.slept"
        ? { at: p.createdAt, kind: "sleep" as const, label: "asleep" }
        : { at: p.createdAt, kind: "wake" as const, label: "woke" },
    ),
  ];
  return found.sort((a, b) => a.at.getTime() - b.at.getTime());
}
