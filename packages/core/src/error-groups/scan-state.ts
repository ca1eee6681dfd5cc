// Where the error scan of each build stands (per log file: bytes and lines read), and the
// flaky rule applied once a build is read to its end, against the other runs of its commit.
import { type Prisma, prisma } from "@gantry/db";
import { flakyGroups, phaseLogFiles } from "./flaky";

export interface FileCursor {
  offset: number;
  line: number;
}

export interface ErrorScanState {
  cursors: Record<string, FileCursor>;
  lines: number;
  occurrences: number;
  finalAt: Date | null;
}

function cursorsOf(value: unknown): Record<string, FileCursor> {
  const out: Record<string, FileCursor> = {};
  if (!value || typeof value !== "object") return out;
  for (const [file, cursor] of Object.entries(value as Record<string, unknown>)) {
    const c = cursor as Partial<FileCursor> | null;
    if (c && Number.isSafeInteger(c.offset) && Number.isSafeInteger(c.line))
      out[file] = { offset: c.offset as number, line: c.line as number };
  }
  return out;
}

export async function errorScanOf(buildId: string): Promise<ErrorScanState> {
  const row = await prisma().errorScan.findUnique({ where: { buildId } });
  return {
    cursors: cursorsOf(row?.cursors),
    lines: row?.lines ?? 0,
    occurrences: row?.occurrences ?? 0,
    finalAt: row?.finalAt ?? null,
  };
}

export async function saveErrorScan(buildId: string, state: ErrorScanState): Promise<void> {
  const data = {
    cursors: state.cursors as unknown as Prisma.InputJsonValue,
    lines: state.lines,
    occurrences: state.occurrences,
    finalAt: state.finalAt,
  };
  await prisma().errorScan.upsert({ where: { buildId }, create: { buildId, ...data }, update: data });
}

/**
 * Applies the flaky rule to the runs of the build's commit on its branch that were read to
 * their end; returns the groups flagged now.
 */
export async function markFlakyGroups(build: { branchId: string; commitSha: string }): Promise<string[]> {
  const runs = await prisma().build.findMany({
    where: {
      branchId: build.branchId,
      commitSha: build.commitSha,
      status: "DONE",
      errorScan: { finalAt: { not: null } },
    },
    select: {
      id: true,
      errorOccurrences: {
        where: { file: { in: [...phaseLogFiles] } },
        select: { groupId: true },
        distinct: ["groupId"],
      },
    },
  });
  const flaky = flakyGroups(
    runs.map((run) => ({ buildId: run.id, groupIds: new Set(run.errorOccurrences.map((o) => o.groupId)) })),
  );
  if (flaky.size === 0) return [];
  await prisma().errorGroup.updateMany({
    where: { id: { in: [...flaky] }, flaky: false },
    data: { flaky: true, flakyCommit: build.commitSha },
  });
  return [...flaky];
}
