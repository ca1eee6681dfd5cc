// The Errors tab and API: a project's error groups and one group's occurrences. Whoever reads
// the logs of a stage's builds sees the errors found in them; figures (count, first and last
// seen, branches, stages) are counted over the occurrences the caller may see, so a group seen
// only on production stays hidden from someone without production's logs.
import { prisma } from "@gantry/db";
import { type Actor, assertCan, can, type Stage, stages } from "../access";
import { AppError } from "../errors";

export interface ErrorGroupFilter {
  stage?: Stage;
  branchId?: string;
  flaky?: boolean;
  search?: string;
  page?: number;
  pageSize?: number;
}

export interface ErrorGroupSummary {
  id: string;
  title: string;
  exception: string | null;
  logger: string | null;
  flaky: boolean;
  flakyCommit: string | null;
  count: number;
  firstSeenAt: Date;
  lastSeenAt: Date;
  stages: Stage[];
  branches: { id: string; name: string }[];
}

/** The stages whose logs the actor reads on the project, refused when none. */
function readableStages(actor: Actor, projectId: string, only?: Stage): Stage[] {
  if (only) {
    assertCan(actor, "logs", { projectId, stage: only });
    return [only];
  }
  const visible = stages.filter((stage) => can(actor, "logs", { projectId, stage }));
  if (visible.length === 0) assertCan(actor, "logs", { projectId, stage: "DEVELOPMENT" });
  return visible;
}

async function branchOf(actor: Actor, projectId: string, branchId: string) {
  const branch = await prisma().branch.findFirst({
    where: { id: branchId, projectId },
    select: { stage: true },
  });
  if (!branch) throw new AppError("not_found", "branch not found");
  assertCan(actor, "logs", { projectId, stage: branch.stage });
}

type GroupFigures = Pick<ErrorGroupSummary, "count" | "firstSeenAt" | "lastSeenAt" | "stages" | "branches">;

/** Count, times, stages and branches of `groupIds` over the occurrences in scope. */
async function figures(
  groupIds: string[],
  scope: { stage: { in: Stage[] }; branchId?: string },
): Promise<Map<string, GroupFigures>> {
  const where = { groupId: { in: groupIds }, ...scope };
  const [perStage, perBranch] = await Promise.all([
    prisma().errorOccurrence.groupBy({
      by: ["groupId", "stage"],
      where,
      _count: { _all: true },
      _min: { at: true },
      _max: { at: true },
    }),
    prisma().errorOccurrence.findMany({
      where,
      select: { groupId: true, branchId: true },
      distinct: ["groupId", "branchId"],
    }),
  ]);
  const names = new Map(
    (
      await prisma().branch.findMany({
        where: { id: { in: [...new Set(perBranch.map((b) => b.branchId))] } },
        select: { id: true, name: true },
      })
    ).map((b) => [b.id, b.name]),
  );
  const out = new Map<string, GroupFigures>();
  for (const row of perStage) {
    const current: GroupFigures = out.get(row.groupId) ?? {
      count: 0,
      firstSeenAt: row._min.at as Date,
      lastSeenAt: row._max.at as Date,
      stages: [],
      branches: [],
    };
    current.count += row._count._all;
    if (row._min.at && row._min.at < current.firstSeenAt) current.firstSeenAt = row._min.at;
    if (row._max.at && row._max.at > current.lastSeenAt) current.lastSeenAt = row._max.at;
    current.stages.push(row.stage);
    out.set(row.groupId, current);
  }
  for (const row of perBranch) {
    out.get(row.groupId)?.branches.push({ id: row.branchId, name: names.get(row.branchId) ?? "(deleted)" });
  }
  return out;
}

export async function listErrorGroups(
  actor: Actor,
  projectId: string,
  filter: ErrorGroupFilter = {},
): Promise<{ groups: ErrorGroupSummary[]; total: number; page: number; pageSize: number }> {
  const visible = readableStages(actor, projectId, filter.stage);
  if (filter.branchId) await branchOf(actor, projectId, filter.branchId);
  const scope = { stage: { in: visible }, ...(filter.branchId ? { branchId: filter.branchId } : {}) };
  const where = {
    projectId,
    occurrences: { some: scope },
    ...(filter.flaky === undefined ? {} : { flaky: filter.flaky }),
    ...(filter.search ? { title: { contains: filter.search, mode: "insensitive" as const } } : {}),
  };
  const pageSize = Math.min(Math.max(filter.pageSize ?? 50, 1), 200);
  const page = Math.max(filter.page ?? 1, 1);
  const [total, rows] = await Promise.all([
    prisma().errorGroup.count({ where }),
    prisma().errorGroup.findMany({
      where,
      orderBy: [{ lastSeenAt: "desc" }, { id: "asc" }],
      skip: (page - 1) * pageSize,
      take: pageSize,
      select: { id: true, title: true, exception: true, logger: true, flaky: true, flakyCommit: true },
    }),
  ]);
  const counted = await figures(
    rows.map((r) => r.id),
    scope,
  );
  const groups = rows.flatMap((row) => {
    const f = counted.get(row.id);
    return f ? [{ ...row, ...f }] : [];
  });
  return { groups, total, page, pageSize };
}

export async function getErrorGroup(actor: Actor, projectId: string, groupId: string, take = 100) {
  const group = await prisma().errorGroup.findFirst({
    where: { id: groupId, projectId },
    select: {
      id: true,
      title: true,
      exception: true,
      logger: true,
      flaky: true,
      flakyCommit: true,
      fingerprint: true,
    },
  });
  if (!group) throw new AppError("not_found", "error group not found");
  const visible = stages.filter((stage) => can(actor, "logs", { projectId, stage }));
  const seenOn = await prisma().errorOccurrence.findMany({
    where: { groupId },
    select: { stage: true },
    distinct: ["stage"],
  });
  const allowed = seenOn.map((s) => s.stage).filter((s) => visible.includes(s));
  if (allowed.length === 0) assertCan(actor, "logs", { projectId, stage: seenOn[0]?.stage ?? "DEVELOPMENT" });
  const scope = { stage: { in: allowed } };
  const [counted, occurrences] = await Promise.all([
    figures([groupId], scope),
    prisma().errorOccurrence.findMany({
      where: { groupId, ...scope },
      orderBy: [{ at: "desc" }, { id: "asc" }],
      take: Math.min(Math.max(take, 1), 500),
      select: {
        id: true,
        buildId: true,
        branchId: true,
        stage: true,
        file: true,
        line: true,
        at: true,
        level: true,
        logger: true,
        message: true,
        text: true,
        build: { select: { commitSha: true, branch: { select: { name: true } } } },
      },
    }),
  ]);
  const f = counted.get(groupId);
  return {
    ...group,
    count: f?.count ?? 0,
    firstSeenAt: f?.firstSeenAt ?? null,
    lastSeenAt: f?.lastSeenAt ?? null,
    stages: f?.stages ?? [],
    branches: f?.branches ?? [],
    occurrences: occurrences.map(({ build, ...o }) => ({
      ...o,
      commitSha: build.commitSha,
      branchName: build.branch.name,
      // The dashboard's log viewer, opened at the record's line.
      viewUrl: `/projects/${projectId}/builds/${o.buildId}?log=${encodeURIComponent(o.file)}&line=${o.line}`,
      logUrl: `/api/v1/builds/${o.buildId}/logs/${encodeURIComponent(o.file)}`,
    })),
  };
}

/**
 * The groups a build has that its branch's previous build did not ("new error since the
 * previous build"); none for a branch's first build, nor for a caller without its logs.
 */
export async function newErrorGroupsOfBuild(
  actor: Actor,
  build: { id: string; projectId: string; branchId: string; stage: Stage; createdAt: Date },
): Promise<{ id: string; title: string }[]> {
  if (!can(actor, "logs", { projectId: build.projectId, stage: build.stage })) return [];
  const previous = await prisma().build.findFirst({
    where: { branchId: build.branchId, createdAt: { lt: build.createdAt }, status: "DONE" },
    orderBy: { createdAt: "desc" },
    select: { id: true },
  });
  if (!previous) return [];
  const before = await prisma().errorOccurrence.findMany({
    where: { buildId: previous.id },
    select: { groupId: true },
    distinct: ["groupId"],
  });
  return prisma().errorGroup.findMany({
    where: {
      occurrences: { some: { buildId: build.id } },
      id: { notIn: before.map((b) => b.groupId) },
    },
    orderBy: { title: "asc" },
    take: 20,
    select: { id: true, title: true },
  });
}
