// One look at a build held by its branch's deploy gates: the commit's checks read from GitHub,
// the window read on the project's clock at `now` (injected by tests, the clock otherwise).
// Green and open -> queued like any build; a required check failed -> the build fails naming
// it; anything else -> it keeps waiting, with what it waits for recorded for the pages.
import { prisma } from "@gantry/db";
import type { CommitCheck } from "@gantry/github";
import { buildJobId, enqueue, type QueueContext } from "@gantry/queue";
import { endWaitingBuild } from "../builds/state";
import { projectClient } from "../github/client";
import { reportBuildStatus } from "../github/feedback";
import { createLogger } from "../logger";
import { type ChecksVerdict, checksVerdict } from "./checks";
import { isWindowOpen, nextOpening, windowOf } from "./window";

export type GateOutcome = "released" | "waiting" | "failed" | "not_waiting";

const GATED_STAGES = new Set(["PRODUCTION", "STAGING"]);

async function readChecks(
  project: Parameters<typeof projectClient>[0] & { githubOwner: string; githubRepo: string },
  sha: string,
  mode: "ALL" | "NAMED",
  names: string[],
): Promise<{ verdict: ChecksVerdict; error: string | null }> {
  if (!project.githubAuthKind) {
    return {
      verdict: checksVerdict(mode, names, []),
      error: "the project is not connected to GitHub: its checks cannot be read",
    };
  }
  try {
    const reported = await projectClient(project).listCommitChecks(
      project.githubOwner,
      project.githubRepo,
      sha,
    );
    return { verdict: checksVerdict(mode, names, reported), error: null };
  } catch (error) {
    // GitHub unreachable: keep waiting (the next look tries again), say why on the page.
    const message = (error as Error)?.message ?? String(error);
    return { verdict: { kind: "pending", checks: [], reason: message }, error: message.slice(0, 500) };
  }
}

/** Moves a waiting build to the queue (compare-and-set) and adds its job. */
export async function releaseBuild(
  buildId: string,
  release: { by?: string | null; note: string },
  queue?: QueueContext,
): Promise<boolean> {
  const now = new Date();
  const moved = await prisma().$transaction(async (tx) => {
    const done = await tx.build.updateMany({
      where: { id: buildId, status: "WAITING" },
      data: { status: "QUEUED" },
    });
    if (done.count === 0) return false;
    await tx.deployGate.upsert({
      where: { buildId },
      create: { buildId, releasedAt: now, releasedBy: release.by ?? null, releaseNote: release.note },
      update: {
        releasedAt: now,
        releasedBy: release.by ?? null,
        releaseNote: release.note,
        waitingChecks: false,
        waitingWindow: false,
      },
    });
    return true;
  });
  if (!moved) return false;
  await enqueue("builds.run", { buildId }, { jobId: buildJobId(buildId) }, queue);
  await reportBuildStatus(buildId);
  return true;
}

export async function evaluateGate(
  buildId: string,
  options: { now?: Date; queue?: QueueContext } = {},
): Promise<GateOutcome> {
  const now = options.now ?? new Date();
  const build = await prisma().build.findUnique({
    where: { id: buildId },
    include: { branch: true, project: true },
  });
  if (build?.status !== "WAITING") return "not_waiting";
  const { branch, project } = build;
  const gated = GATED_STAGES.has(branch.stage);

  let checks: { verdict: ChecksVerdict; error: string | null } = {
    verdict: { kind: "passed", checks: [] },
    error: null,
  };
  if (gated && branch.gateChecks !== "NONE") {
    checks = await readChecks(project, build.commitSha, branch.gateChecks, branch.gateCheckNames);
  }
  const window = gated ? windowOf(branch) : null;
  const windowOpen = !window || isWindowOpen(window, now, project.timeZone);
  const opensAt = window && !windowOpen ? nextOpening(window, now, project.timeZone) : null;
  const reported: CommitCheck[] = checks.verdict.checks;

  if (checks.verdict.kind === "failed") {
    const failed = checks.verdict.failed;
    await recordLook(buildId, {
      waitingChecks: false,
      waitingWindow: false,
      reported,
      error: null,
      opensAt,
      now,
    });
    const summary = `required check${failed.length > 1 ? "s" : ""} failed: ${failed.join(", ")}`;
    if (!(await endWaitingBuild(buildId, { status: "DONE", errorSummary: summary }))) return "not_waiting";
    await reportBuildStatus(buildId);
    return "failed";
  }
  const checksPassed = checks.verdict.kind === "passed";
  await recordLook(buildId, {
    waitingChecks: !checksPassed,
    waitingWindow: !windowOpen,
    reported,
    error: checks.error,
    opensAt,
    now,
  });
  if (!checksPassed || !windowOpen) return "waiting";
  const note =
    branch.gateChecks === "NONE" || !gated
      ? "the deploy window opened"
      : window
        ? "the checks passed and the deploy window is open"
        : "the checks passed";
  return (await releaseBuild(buildId, { note }, options.queue)) ? "released" : "not_waiting";
}

async function recordLook(
  buildId: string,
  look: {
    waitingChecks: boolean;
    waitingWindow: boolean;
    reported: CommitCheck[];
    error: string | null;
    opensAt: Date | null;
    now: Date;
  },
): Promise<void> {
  const data = {
    waitingChecks: look.waitingChecks,
    waitingWindow: look.waitingWindow,
    checks: look.reported.map((c) => ({ name: c.name, kind: c.kind, state: c.state, detail: c.detail })),
    checksError: look.error,
    windowOpensAt: look.opensAt,
    evaluatedAt: look.now,
  };
  await prisma().deployGate.upsert({ where: { buildId }, create: { buildId, ...data }, update: data });
}

/** The periodic look: every waiting build, oldest first; one failing look does not stop the rest. */
export async function evaluateWaitingBuilds(
  options: { now?: Date; queue?: QueueContext } = {},
): Promise<{ looked: number; released: string[]; failed: string[] }> {
  const waiting = await prisma().build.findMany({
    where: { status: "WAITING" },
    orderBy: { createdAt: "asc" },
    select: { id: true },
  });
  const released: string[] = [];
  const failed: string[] = [];
  for (const { id } of waiting) {
    try {
      const outcome = await evaluateGate(id, options);
      if (outcome === "released") released.push(id);
      if (outcome === "failed") failed.push(id);
    } catch (error) {
      createLogger("deploy-gates").error({ err: error, buildId: id }, "deploy gate look failed");
    }
  }
  return { looked: waiting.length, released, failed };
}
